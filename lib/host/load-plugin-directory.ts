import { readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../errors/index.js';
import { isPluginClass, type PluginClass } from '../metadata/plugin-metadata.accessor.js';

/** Plugin files are named like Nest's other building blocks: `user-utils.plugin.js`. */
const PLUGIN_FILE = /\.plugin\.m?js$/;

/**
 * The plugin classes of a directory: every `*.plugin.js` / `*.plugin.mjs` file in it or
 * below it (`node_modules` excluded), in path order. Helpers beside them are not loaded;
 * each plugin file must default-export a `@Plugin` class.
 */
export async function loadPluginDirectory(directory: string): Promise<PluginClass[]> {
  const root = resolve(directory);
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (cause) {
    throw new PluginLoadError(`directory "${root}"`, 'it cannot be read', { cause });
  }
  const files = entries
    .filter((entry) => PLUGIN_FILE.test(entry) && !entry.split(sep).includes('node_modules'))
    .sort()
    .map((entry) => join(root, entry));
  const classes: PluginClass[] = [];
  for (const file of files) classes.push(await importPluginClass(file));
  return classes;
}

/** Imports a compiled plugin file; its default export must be a `@Plugin` class. */
export async function importPluginClass(file: string): Promise<PluginClass> {
  const path = resolve(file);
  let exports: { default?: unknown };
  try {
    exports = await import(pathToFileURL(path).href);
  } catch (cause) {
    throw new PluginLoadError(`"${path}"`, `import failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!isPluginClass(exports.default)) {
    throw new PluginLoadError(`"${path}"`, 'its default export is not a class decorated with @Plugin()');
  }
  return exports.default;
}
