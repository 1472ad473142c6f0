import { PluginError } from './plugin.error.js';

/** An isolated plugin's thread or process died or stopped answering; the host restarts it. */
export class PluginCrashedError extends PluginError {
  readonly code = 'PLUGIN_CRASHED';

  constructor(
    readonly pluginName: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" crashed: ${reason}`);
  }
}
