import type { PluginMetadata } from './plugin-metadata.interface.js';
import type { PluginRestartInfo } from './plugin-state.interface.js';

/** The payload of `plugin:error` on the application's EventEmitter2. */
export interface PluginErrorEvent {
  readonly error: Error;
  readonly metadata?: Readonly<PluginMetadata>;
}

/** The payload of `plugin:restarting`: an isolated plugin crashed, and this restart follows. */
export interface PluginRestartingEvent {
  /** a `PluginCrashedError` */
  readonly error: Error;
  readonly metadata: Readonly<PluginMetadata>;
  readonly restart: PluginRestartInfo;
}
