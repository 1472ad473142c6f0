/** Options of `PluginGatewayModule.forRoot`. */
export interface PluginGatewayModuleOptions {
  /** the key every request must send in `apiKeyHeader`; required unless `allowAnonymous` */
  apiKey?: string;
  /** header carrying the key (default `X-API-Key`) */
  apiKeyHeader?: string;
  /** serve the routes without a key: must be set explicitly, for development or a private network */
  allowAnonymous?: boolean;
  /**
   * Directory the admin `load` route may load compiled plugin files from (`{ file }` is
   * resolved inside it). Without it, loading over HTTP is refused.
   */
  runtimePluginsDir?: string;
}

export const PLUGIN_GATEWAY_MODULE_OPTIONS = Symbol('nestjs-plugins:PluginGatewayModuleOptions');

/** Where the routes live, and where `PluginGatewayModule.setupOpenApi` serves the document by default. */
export const PLUGIN_GATEWAY_PATH = 'api/plugin-gateway';
export const PLUGIN_GATEWAY_OPENAPI_PATH = `${PLUGIN_GATEWAY_PATH}/docs`;
