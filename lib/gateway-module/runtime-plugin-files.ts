import { readdir } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';

/** The names the admin load route accepts as `file`. */
const PLUGIN_FILE = /\.plugin\.m?js$/;

/** Compiled plugin files under `directory` (searched recursively), relative with `/`, sorted; none without a directory. */
export async function runtimePluginFiles(directory: string | undefined): Promise<string[]> {
  if (!directory) return [];
  const root = resolve(directory);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && PLUGIN_FILE.test(entry.name))
    .map((entry) => relative(root, resolve(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
