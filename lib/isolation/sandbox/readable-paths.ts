import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, parse, resolve, sep } from 'node:path';

const LIBRARY = 'nestjs-plugins';

/**
 * What a `'process'` guest may read: the plugin's own folder, the library's and the
 * `node_modules` folders above both (where their imports resolve), each also by its real path
 * (Node resolves modules through symlinks, and a linked `node_modules` is common), and the
 * library as the plugin imports it. Each folder ends with a separator, as Node's
 * `--allow-fs-read` wants for a folder.
 */
export function readablePaths(pluginDirectory: string, libraryDirectory: string): string[] {
  const folders = [pluginDirectory, libraryDirectory, ...nodeModulesAbove(libraryDirectory), ...nodeModulesAbove(pluginDirectory)];
  return [...new Set([...folders.flatMap((folder) => [folder, realpathSync(folder)]).map(withSeparator), ...libraryAsImported(pluginDirectory)])];
}

/**
 * The library as the plugin's own `import 'nestjs-plugins'` finds it: its manifest (a file)
 * and its compiled folder, not the rest of its package (an application's data may sit there).
 * A linked library (npm workspaces, this repository's sample) lives outside every
 * `node_modules`; and bubblewrap mounts a linked `node_modules` at its own path, where a
 * relative link in it (`nestjs-plugins -> ..`) points beside that path, so the link's own
 * target is given too. Only a folder whose manifest names the library counts, and only the
 * folder its `main` is in, inside it: a plugin's own links cannot open anything else.
 */
function libraryAsImported(pluginDirectory: string): string[] {
  let resolved: string[];
  try {
    resolved = [dirname(realpathSync(createRequire(join(pluginDirectory, 'plugin.js')).resolve(`${LIBRARY}/package.json`)))];
  } catch {
    resolved = [];
  }
  const roots = [...resolved, ...nodeModulesAbove(pluginDirectory).flatMap((folder) => linkTarget(join(folder, LIBRARY)))];
  return roots.flatMap(libraryFiles);
}

function libraryFiles(root: string): string[] {
  const manifest = join(root, 'package.json');
  try {
    const { name, main } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; main?: unknown };
    if (name !== LIBRARY || typeof main !== 'string') return [];
    const folder = join(root, dirname(normalize(main)));
    if (!realpathSync(folder).startsWith(realpathSync(root) + sep)) return [];
    return [manifest, withSeparator(folder)];
  } catch {
    return [];
  }
}

function linkTarget(path: string): string[] {
  try {
    return lstatSync(path).isSymbolicLink() ? [resolve(dirname(path), readlinkSync(path))] : [];
  } catch {
    return [];
  }
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
