/** An npm package name: an optional `@scope/`, then URL-safe characters, not starting with `.` or `_`. */
const PACKAGE_NAME = /^(?:@[a-z0-9~-][\w.~-]*\/)?[a-z0-9~-][\w.~-]*$/i;
/** What a build emits or a test runs from: always a file, even without a directory. */
const MODULE_FILE = /\.[cm]?[jt]s$/i;

/**
 * Whether a string given to `PluginManager.load` names an installed package rather than a
 * file: a bare package name (`billing`, `@acme/nest-plugin-billing`). Anything starting with
 * `.` or `/`, with a directory (`plugins/x.js`), a drive (`C:\x`), a URL scheme or a module
 * extension (`x.js`, `x.mjs`, `x.ts`) is a file.
 */
export function isPackageName(source: string): boolean {
  return PACKAGE_NAME.test(source) && !MODULE_FILE.test(source);
}
