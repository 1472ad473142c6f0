/** Plugins' configuration, of `PluginModuleOptions`. */
export interface PluginConfigOptions {
  /**
   * Per plugin name: its configuration, validated against its `configSchema` when it is
   * registered (boot or runtime load) and read as `ctx.config`. Configuration for a plugin
   * without a `configSchema` is an error; for a name no plugin has at boot, a warning.
   */
  config?: Record<string, object>;
}
