/** What the host reads of `PluginModuleOptions`. */
export interface PluginHostOptions {
  /**
   * What a plugin that cannot start does to boot. `'fail'` (default): boot fails with the
   * error and plugins already started are stopped again. `'isolate'`: the plugin and every
   * plugin that requires it are marked `failed`, `plugin:error` is emitted, the rest start.
   */
  onError?: 'fail' | 'isolate';
  /** How long an unload waits for pending calls of the plugin before it stops it anyway (default 5000). */
  drainTimeoutMs?: number;
  /**
   * Permissions the host grants, per plugin name; a plugin holds those it also requests in
   * `@Plugin({ permissions })`. `'all'`: every requested permission (trusted setups). Default: none.
   */
  grants?: Record<string, string[]> | 'all';
  /**
   * The application's version (semver), checked against each plugin's `hostRange` during
   * resolution. Without it no range is checked (a warning names each plugin that declares one).
   */
  hostVersion?: string;
}
