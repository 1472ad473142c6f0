import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, parse, sep } from 'node:path';

/**
 * What a `'process'` guest may read: the plugin's own folder, the library's and the
 * `node_modules` folders above both (where their imports resolve), each also by its real path
 * (Node resolves modules through symlinks, and a linked `node_modules` is common). Each ends
 * with a separator, as Node's `--allow-fs-read` wants for a folder.
 */
export function readablePaths(pluginDirectory: string, libraryDirectory: string): string[] {
  const folders = [pluginDirectory, libraryDirectory, ...nodeModulesAbove(libraryDirectory), ...nodeModulesAbove(pluginDirectory)];
  return [...new Set(folders.flatMap((folder) => [folder, realpathSync(folder)]).map(withSeparator))];
}

function nodeModulesAbove(directory: string): string[] {
  const found: string[] = [];
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules');
    if (existsSync(candidate)) found.push(candidate);
    if (current === parse(current).root) return found;
  }
}

export const withSeparator = (directory: string): string => (directory.endsWith(sep) ? directory : directory + sep);
