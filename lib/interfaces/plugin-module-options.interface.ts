import type { Type } from '@nestjs/common';

/**
 * Where PluginModule finds plugins before Nest scans the application. These shape the
 * module graph, so they are static: with `forRootAsync` they sit beside `useFactory`.
 */
export interface PluginSources {
  /** plugin classes, in registration order */
  plugins?: Type<unknown>[];
  /** a directory of compiled plugin files (`*.js`, `*.mjs`, `<dir>/index.js`) loaded at boot */
  pluginsDir?: string;
}

/** Options of PluginModule that may come from a factory (`forRootAsync`). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginModuleOptions {}
