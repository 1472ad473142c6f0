/** A plugin's view of the application's EventEmitter2; every listener it adds is removed on unload. */
export interface PluginEventBus {
  emit(event: string, ...values: unknown[]): boolean;
  on(event: string, listener: (...values: any[]) => unknown): this;
  once(event: string, listener: (...values: any[]) => unknown): this;
  off(event: string, listener: (...values: any[]) => unknown): this;
}
