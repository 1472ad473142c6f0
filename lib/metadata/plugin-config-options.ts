/** Plugins' configuration, of `PluginModuleOptions` (documented there). */
export interface PluginConfigOptions {
  config?: Record<string, object>;
}
