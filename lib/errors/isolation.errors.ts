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

/**
 * `forRoot({ sandbox: 'required' })` and the operating system cannot sandbox a `'process'`
 * plugin: it is not started. `reason` names the cause, never a host path.
 */
export class PluginSandboxUnavailableError extends PluginError {
  readonly code = 'PLUGIN_SANDBOX_UNAVAILABLE';

  constructor(
    readonly pluginName: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" needs a sandbox: ${reason}`);
  }
}
