import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The library's own name: a package that peers on it, or declares `nestjsPlugin`, is a plugin package. */
const LIBRARY = 'nestjs-plugins';

/**
 * The plugin packages installed in `root/node_modules` (scoped ones included), by name, sorted:
 * those whose package.json declares `nestjsPlugin` or has `nestjs-plugins` as a peer dependency,
 * as the plugin-package workflow asks. Nothing is imported: listing runs no package's code.
 */
export async function installedPluginPackages(root: string): Promise<string[]> {
  const modules = join(root, 'node_modules');
  const found: string[] = [];
  for (const entry of await entriesOf(modules)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? (await entriesOf(join(modules, entry))).map((name) => `${entry}/${name}`) : [entry];
    for (const name of names) if (name !== LIBRARY && (await isPluginPackage(join(modules, name)))) found.push(name);
  }
  return found.sort();
}

async function entriesOf(directory: string): Promise<string[]> {
  return readdir(directory).catch(() => []);
}

async function isPluginPackage(directory: string): Promise<boolean> {
  let manifest: { nestjsPlugin?: unknown; peerDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return false;
  }
  return manifest.nestjsPlugin !== undefined || manifest.peerDependencies?.[LIBRARY] !== undefined;
}
