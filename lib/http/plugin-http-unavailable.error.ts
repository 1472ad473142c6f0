import { PluginError } from '../errors/plugin.error.js';

/** `ctx.http.registerRoutes` in an application that has no Express HTTP server to serve the routes. */
export class PluginHttpUnavailableError extends PluginError {
  readonly code = 'PLUGIN_HTTP_UNAVAILABLE';

  constructor(
    readonly pluginName: string,
    reason: string,
  ) {
    super(`Plugin "${pluginName}" cannot register HTTP routes: ${reason}`);
  }
}
