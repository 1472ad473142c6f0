/** Options of `PluginGatewayModule.forRoot`. */
export interface PluginGatewayModuleOptions {
  /**
   * The operator's key: every route, acting for any plugin. Required unless `allowAnonymous`.
   * Sent in `apiKeyHeader`, like the plugin keys.
   */
  apiKey?: string;
  /**
   * A key per plugin id, for remote plugins and other clients acting as one plugin: a request
   * with it acts as that plugin only (any other plugin named as caller or owner is a 403) and
   * may not use the admin routes (`/plugins`). Each key distinct, and distinct from `apiKey`.
   */
  pluginKeys?: Readonly<Record<string, string>>;
  /** header carrying the key (default `X-API-Key`) */
  apiKeyHeader?: string;
  /** serve the routes without a key: must be set explicitly, for development or a private network */
  allowAnonymous?: boolean;
  /**
   * Directory the admin `load` route may load compiled plugin files from (`{ file }` is
   * resolved inside it). Without it, loading over HTTP is refused.
   */
  runtimePluginsDir?: string;
  /**
   * Serve the admin console, a web page at `/api/plugin-gateway/console`: plugins, their graph,
   * services, shared data, load/unload/reload, live. It asks for the operator's `apiKey`.
   * Drawing the graph needs the optional package `@viz-js/viz`.
   */
  console?: boolean;
}

export const PLUGIN_GATEWAY_MODULE_OPTIONS = Symbol('nestjs-plugins:PluginGatewayModuleOptions');

/** Where the routes live, and where `PluginGatewayModule.setupOpenApi` serves the document by default. */
export const PLUGIN_GATEWAY_PATH = 'api/plugin-gateway';
export const PLUGIN_GATEWAY_OPENAPI_PATH = `${PLUGIN_GATEWAY_PATH}/docs`;
