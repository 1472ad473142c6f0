import type { PluginMetadata } from './plugin-metadata.interface.js';

/** `registered → resolving → initializing → active → stopping → inactive`, or `failed`. */
export type PluginState = 'registered' | 'resolving' | 'initializing' | 'active' | 'stopping' | 'inactive' | 'failed';

/** One row of `PluginRegistry.list()`. */
export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  readonly state: PluginState;
  readonly metadata: Readonly<PluginMetadata>;
  /** why the plugin is `failed` */
  readonly error?: Error;
  /** an isolated plugin down between a crash and its restart (its state stays `active`) */
  readonly restarting?: PluginRestartInfo;
}

/** Which restart of an isolated plugin is under way, and the crash it follows. */
export interface PluginRestartInfo {
  /** this restart is the `attempt`-th of `maxRestarts` allowed within `restart.windowMs` */
  readonly attempt: number;
  readonly maxRestarts: number;
  readonly reason: string;
}
