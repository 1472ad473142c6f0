import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../errors/index.js';
import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { packageEntryCandidates, type PackageManifest } from './package-entry.js';
import { isPackageName } from './plugin-package-name.js';
import { loadPluginFile, type PluginSourceRules } from './plugin-source.js';

/** An installed package: its real directory (links followed) and its package.json. */
interface InstalledPackage {
  readonly directory: string;
  readonly manifest: PackageManifest;
}

/**
 * Plugins installed as npm packages, resolved from the application's `node_modules` the way
 * an ES module in the application's root would import them: `root/node_modules`, then the
 * same in each parent directory; the package's `exports` (the conditions an `import` in
 * Node matches), else its `main`. Not from the library's own location, which may be a link
 * or another copy. Remembers which package each class came from, so reload can import it again.
 */
export class PluginPackages {
  /** the directory packages are resolved from */
  readonly root: string;
  private readonly packageNames = new WeakMap<PluginClass, string>();

  constructor(root: string = process.cwd()) {
    this.root = resolve(root);
  }

  /**
   * The package's default-exported `@Plugin` class: imported, or described by a guest when it is
   * a `'process'` plugin (see `loadPluginFile`; its manifest may say so). `fresh` imports its
   * entry again (see `PluginImportOptions`). Errors name the package, never a host path.
   */
  async importPluginClass(packageName: string, rules: PluginSourceRules, { fresh = false } = {}): Promise<PluginClass> {
    const label = `package "${packageName}"`;
    if (!isPackageName(packageName)) throw new PluginLoadError(label, 'it is not a package name (load files with pluginsDir or a path)');
    const installed = await this.find(packageName);
    if (installed === undefined) {
      throw new PluginLoadError(label, `it is not installed in the application (npm install ${packageName}, or set packagesRoot to the application's directory)`);
    }
    const { directory, manifest } = installed;
    const entry = await entryFile(directory, manifest, label);
    const pluginClass = await loadPluginFile(entry, label, rules, {
      fresh,
      manifestDeclaresProcess: declaresProcess(manifest),
      // Paths inside the package are shown as the package's own (`@acme/x/dist/index.js`).
      describeFailure: (message) => message.replaceAll(pathToFileURL(directory).href, packageName).replaceAll(directory, packageName),
    });
    this.packageNames.set(pluginClass, packageName);
    return pluginClass;
  }

  /** The package a class was imported from by this instance, if it was. */
  packageOf(declaredClass: PluginClass): string | undefined {
    return this.packageNames.get(declaredClass);
  }

  private async find(packageName: string): Promise<InstalledPackage | undefined> {
    for (let directory = this.root; ; directory = dirname(directory)) {
      if (basename(directory) !== 'node_modules') {
        const candidate = join(directory, 'node_modules', packageName);
        const manifest = await readManifest(candidate, packageName);
        if (manifest !== undefined) return { directory: await realpath(candidate), manifest };
      }
      if (dirname(directory) === directory) return undefined;
    }
  }
}

/** The static manifest: `"nestjsPlugin": { "isolation": "process" }` in package.json. */
function declaresProcess(manifest: PackageManifest): boolean {
  const declared = manifest.nestjsPlugin;
  return typeof declared === 'object' && declared !== null && (declared as { isolation?: unknown }).isolation === 'process';
}

async function readManifest(directory: string, packageName: string): Promise<PackageManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as PackageManifest;
  } catch (cause) {
    throw new PluginLoadError(`package "${packageName}"`, 'its package.json is not valid JSON', { cause });
  }
}

/** The first entry candidate that is a file; an `exports` target is the only candidate. */
async function entryFile(directory: string, manifest: PackageManifest, label: string): Promise<string> {
  const candidates = packageEntryCandidates(manifest);
  if (candidates.length === 0) throw new PluginLoadError(label, 'its package.json "exports" has no entry for import');
  for (const candidate of candidates) {
    const file = resolve(directory, candidate);
    if (await isFile(file)) return file;
  }
  throw new PluginLoadError(label, `its entry "${candidates[0]}" is missing (is the package built?)`);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
