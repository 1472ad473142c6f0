import { PluginError } from '../../../errors/index.js';

/** The process running a plugin's unbounded statement ended without an answer (crashed, or could not start). */
export class SqliteRunnerExitedError extends PluginError {
  readonly code = 'PLUGIN_SQLITE_RUNNER_EXITED';

  constructor(
    readonly pluginName: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" statement could not finish: its SQLite runner process ${reason}`);
  }
}
