import type { PluginMetadata } from './plugin-metadata.interface.js';

/** The payload of `plugin:error` on the application's EventEmitter2. */
export interface PluginErrorEvent {
  readonly error: Error;
  readonly metadata?: Readonly<PluginMetadata>;
}
