import { readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { PluginLoadError } from '../errors/index.js';
import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { loadPluginFile, type PluginSourceRules } from './plugin-source.js';

/** Plugin files are named like Nest's other building blocks: `user-utils.plugin.js`. */
const PLUGIN_FILE = /\.plugin\.m?js$/;

/**
 * The plugin classes of a directory: every `*.plugin.js` / `*.plugin.mjs` file in it or
 * below it (`node_modules` excluded), in path order. Helpers beside them are not loaded;
 * each plugin file must default-export a `@Plugin` class.
 */
export async function loadPluginDirectory(directory: string, rules: PluginSourceRules): Promise<PluginClass[]> {
  const classes: PluginClass[] = [];
  for (const file of await listPluginFiles(directory)) classes.push(await importPluginClass(file, rules));
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

/**
 * A compiled plugin file's `@Plugin` class (its default export): imported, or described by a
 * guest when it is a `'process'` plugin (see `loadPluginFile`). `fresh` evaluates it again
 * (see `PluginImportOptions`).
 */
export function importPluginClass(file: string, rules: PluginSourceRules, { fresh = false } = {}): Promise<PluginClass> {
  const path = resolve(file);
  return loadPluginFile(path, `"${path}"`, rules, { fresh });
}
