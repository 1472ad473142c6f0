import { PluginError } from './plugin.error.js';

/**
 * A plugin isolated in a `'thread'` or `'process'` declares Nest controllers: its module runs
 * in the guest, which has no HTTP server, so they would answer 404 without a word. It is
 * refused instead, pointing to `ctx.http`, whose routes the host serves for isolated plugins.
 */
export class PluginControllersIsolatedError extends PluginError {
  readonly code = 'PLUGIN_CONTROLLERS_ISOLATED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly pluginName: string,
    readonly mode: string,
    readonly controllerNames: readonly string[],
  ) {
    super(
      `Plugin "${pluginName}" declares Nest controllers (${controllerNames.join(', ')}), which an isolated ('${mode}') plugin cannot serve: ` +
        `register its routes with ctx.http.registerRoutes() instead, or run it inline`,
    );
  }
}
