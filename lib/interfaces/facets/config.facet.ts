/** `ctx.config`: the plugin's validated configuration, an instance of its `configSchema`, frozen. */
export type PluginConfig = Readonly<Record<string, unknown>>;
