import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../errors/index.js';
import { isPluginClass, type PluginClass } from '../metadata/plugin-metadata.accessor.js';

const PLUGIN_FILE_EXTENSIONS = new Set(['.js', '.mjs']);

/**
 * The plugin classes of a directory: each `*.js`/`*.mjs` file in it, and each
 * sub-directory's `index.js`, in name order. Every file must default-export a `@Plugin` class.
 */
export async function loadPluginDirectory(directory: string): Promise<PluginClass[]> {
  const root = resolve(directory);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (cause) {
    throw new PluginLoadError(`directory "${root}"`, 'it cannot be read', { cause });
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, entry.name);
    if (entry.isFile() && PLUGIN_FILE_EXTENSIONS.has(extname(entry.name))) files.push(path);
    else if (entry.isDirectory() && (await isFile(join(path, 'index.js')))) files.push(join(path, 'index.js'));
  }
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
    throw new PluginLoadError(`"${path}"`, `import failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
  if (!isPluginClass(exports.default)) {
    throw new PluginLoadError(`"${path}"`, 'its default export is not a class decorated with @Plugin()');
  }
  return exports.default;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
