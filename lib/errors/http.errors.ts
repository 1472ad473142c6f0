import { PluginError } from './plugin.error.js';

/**
 * A plugin isolated in a `'thread'` or `'process'` declares server-sent events routes (`@Sse()`).
 * Its controllers are served by proxy, each answer sent whole once it ends; a stream never
 * ends, so it would only time out. It is refused instead, naming the handlers.
 */
export class PluginControllersIsolatedError extends PluginError {
  readonly code = 'PLUGIN_CONTROLLERS_ISOLATED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(
    readonly pluginName: string,
    readonly mode: string,
    /** the streaming handlers, as `Controller.method` */
    readonly controllerNames: readonly string[],
  ) {
    super(
      `Plugin "${pluginName}" declares server-sent events routes (${controllerNames.join(', ')}), which an isolated ('${mode}') plugin cannot serve: ` +
        `its answers are proxied whole, and a stream never ends; run it inline to stream`,
    );
  }
}
