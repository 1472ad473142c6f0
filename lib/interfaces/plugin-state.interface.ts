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
}
