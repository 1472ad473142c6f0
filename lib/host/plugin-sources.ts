import type { Type } from '@nestjs/common';
import type { IsolationMode, SandboxMode } from '../interfaces/isolation-options.interface.js';

/**
 * Where PluginModule finds plugins before Nest scans the application. These shape the
 * module graph, so they are static: with `forRootAsync` they sit beside `useFactory`.
 */
export interface PluginSources {
  /** plugin classes, in registration order */
  plugins?: Type<unknown>[];
  /** a directory whose compiled `*.plugin.js` files (searched recursively) are loaded at boot */
  pluginsDir?: string;
  /**
   * npm packages whose default export is a `@Plugin` class, loaded at boot in this order:
   * `['@acme/nest-plugin-billing']`. Resolved from the application's `node_modules` (see `packagesRoot`).
   */
  packages?: string[];
  /**
   * The application's directory: `packages` and `PluginManager.load('<package>')` resolve from
   * its `node_modules` (and those of its parents), as an ES module there would. Default: `process.cwd()`.
   */
  packagesRoot?: string;
  /**
   * Plugins allowed to use Nest's own database doors (`TypeOrmModule.forFeature`, injecting
   * `DataSource`, `EntityManager` or repositories the library did not issue). Default: none.
   * Static, because the check runs while Nest scans, before it builds any plugin provider.
   */
  trustedPlugins?: string[];
  /**
   * Per plugin name, where it runs: `'inline'`, `'thread'` or `'process'`; wins over the
   * plugin's own `@Plugin({ isolation })`. Static: an isolated plugin's module is never built by the host's Nest.
   */
  isolation?: Record<string, IsolationMode>;
  /**
   * `'process'` plugins run in an operating-system sandbox (bubblewrap on Linux, docs/isolation.md).
   * Where the OS cannot give one: `'required'` refuses to start them (`PluginSandboxUnavailableError`),
   * `'preferred'` (default) runs them under Node's permission model and warns once, `'off'` never sandboxes.
   * Static: a process plugin's file is read in the sandbox while Nest scans.
   */
  sandbox?: SandboxMode;
}
