import type { Type } from '@nestjs/common';
import type { PluginMetadata } from './plugin-metadata.interface.js';

/**
 * Where PluginModule finds plugins before Nest scans the application. These shape the
 * module graph, so they are static: with `forRootAsync` they sit beside `useFactory`.
 */
export interface PluginSources {
  /** plugin classes, in registration order */
  plugins?: Type<unknown>[];
  /** a directory whose compiled `*.plugin.js` files (searched recursively) are loaded at boot */
  pluginsDir?: string;
}

/** Options of PluginModule that may come from a factory (`forRootAsync`). */
export interface PluginModuleOptions {
  /**
   * What a plugin that cannot start does to boot. `'fail'` (default): boot fails with the
   * error and plugins already started are stopped again. `'isolate'`: the plugin and every
   * plugin that requires it are marked `failed`, `plugin:error` is emitted, the rest start.
   */
  onError?: 'fail' | 'isolate';
  /** How long an unload waits for pending calls of the plugin before it stops it anyway (default 5000). */
  drainTimeoutMs?: number;
}

/** The payload of `plugin:error` on the application's EventEmitter2. */
export interface PluginErrorEvent {
  readonly error: Error;
  readonly metadata?: Readonly<PluginMetadata>;
}
