import { PluginNotActiveError } from '../errors/index.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { ExposedMethod, PluginRecord } from './plugin-record.js';

export type BindExposedMethod = (method: ExposedMethod) => (...args: unknown[]) => unknown;

/**
 * A plugin's metadata plus one function per exposed method. While the plugin is active the
 * functions call straight through (no per-call state check); otherwise they throw
 * `PluginNotActiveError`. The record switches them.
 */
export class SwitchableHandle {
  readonly handle: PluginHandle;

  constructor(
    private readonly record: PluginRecord,
    private readonly bind: BindExposedMethod,
  ) {
    this.handle = Object.defineProperty({}, 'metadata', { value: record.metadata, enumerable: true }) as PluginHandle;
    this.switchTo(record.state === 'active');
  }

  switchTo(active: boolean): void {
    const notActive = () => {
      throw new PluginNotActiveError(this.record.name);
    };
    for (const method of this.record.methods.values()) {
      Object.defineProperty(this.handle, method.name, {
        value: active ? this.bind(method) : notActive,
        enumerable: true,
        configurable: true,
        writable: false,
      });
    }
  }
}
