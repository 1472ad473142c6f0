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
  const classes: PluginClass[] = [];
  for (const file of await listPluginFiles(directory)) classes.push(await importPluginClass(file));
  return classes;
}

/** The `*.plugin.js` / `*.plugin.mjs` files in or below `directory`, in path order. */
export async function listPluginFiles(directory: string): Promise<string[]> {
  const root = resolve(directory);
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (cause) {
    throw new PluginLoadError(`directory "${root}"`, 'it cannot be read', { cause });
  }
  return entries
    .filter((entry) => PLUGIN_FILE.test(entry) && !entry.split(sep).includes('node_modules'))
    .sort()
    .map((entry) => join(root, entry));
}

let freshImports = 0;

/**
 * Imports a compiled plugin file; its default export must be a `@Plugin` class. `fresh`
 * evaluates the file again (ES modules are cached by URL, so a query makes a new URL);
 * the old module stays in memory, as Node cannot evict ES modules, and files the plugin
 * imports itself are not re-evaluated.
 */
export async function importPluginClass(file: string, { fresh = false } = {}): Promise<PluginClass> {
  const path = resolve(file);
  const url = pathToFileURL(path).href + (fresh ? `?reload=${++freshImports}` : '');
  let exports: { default?: unknown };
  try {
    exports = await import(url);
  } catch (cause) {
    throw new PluginLoadError(`"${path}"`, `import failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!isPluginClass(exports.default)) {
    throw new PluginLoadError(`"${path}"`, 'its default export is not a class decorated with @Plugin()');
  }
  return exports.default;
}
