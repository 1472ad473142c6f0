import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PluginInstallError } from '../errors/install.errors.js';
import { packageEntryCandidates, type PackageManifest } from '../host/package-entry.js';
import type { PluginRegistryOptions } from './install-options.js';
import type { ArboristClass, Pacote } from './optional-installer-packages.js';
import { pacoteOptions, type VerifiedPackage } from './verified-package.js';

/** A verified package in its folder, `<installDir>/<package>/<version>`, with its entry file. */
export interface UnpackedPackage {
  readonly directory: string;
  readonly entry: string;
}

/**
 * Unpacks a verified tarball (pacote, which checks its integrity again) into `staging` (a folder
 * inside `installDir`, the caller removes it), installs the package's own dependencies there
 * (Arborist, install scripts never run, peers left to the application), and renames the package
 * folder into place only when all of that passed.
 */
export async function unpackVerified(
  { pacote, Arborist }: { pacote: Pacote; Arborist: ArboristClass },
  { origin, tarball }: VerifiedPackage,
  installDir: string,
  staging: string,
  registry: PluginRegistryOptions,
): Promise<UnpackedPackage> {
  const exact = `${origin.package}@${origin.version}`;
  const options = pacoteOptions(registry, join(staging, 'cache'));
  const archive = join(staging, 'package.tgz');
  const unpacked = join(staging, 'package');
  await writeFile(archive, tarball);
  await pacote.extract(`file:${archive}`, unpacked, { ...options, integrity: origin.integrity });
  const entry = await entryOf(unpacked, exact);
  try {
    await new Arborist({ ...options, path: unpacked, ignoreScripts: true, legacyPeerDeps: true, audit: false, fund: false, packageLock: false, save: false }).reify({
      omit: ['dev', 'peer'],
      save: false,
    });
  } catch (cause) {
    const integrity = (cause as { code?: string }).code === 'EINTEGRITY';
    throw new PluginInstallError(exact, integrity ? 'INTEGRITY_MISMATCH' : 'FETCH_FAILED', `its dependencies could not be installed: ${String((cause as Error).message).split('\n')[0]}`, { cause });
  }
  const directory = join(installDir, origin.package, origin.version);
  await rm(directory, { recursive: true, force: true });
  await mkdir(dirname(directory), { recursive: true });
  await rename(unpacked, directory);
  return { directory, entry: join(directory, entry) };
}

/** Removes an installed version's folder, and its package's folder once empty. */
export async function removeUnpacked(installDir: string, packageName: string, version: string): Promise<void> {
  const directory = join(installDir, packageName, version);
  await rm(directory, { recursive: true, force: true });
  for (let parent = dirname(directory); parent !== resolve(installDir) && parent.startsWith(resolve(installDir)); parent = dirname(parent)) {
    await rmdir(parent).catch(() => undefined);
  }
}

/** The package's entry (relative), as `import('<package>')` would load it. */
async function entryOf(directory: string, exact: string): Promise<string> {
  let manifest: PackageManifest;
  try {
    manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as PackageManifest;
  } catch (cause) {
    throw new PluginInstallError(exact, 'NOT_A_PLUGIN', 'it has no readable package.json', { cause });
  }
  for (const candidate of packageEntryCandidates(manifest)) {
    const file = resolve(directory, candidate);
    if (file.startsWith(directory) && (await stat(file).catch(() => undefined))?.isFile()) return candidate;
  }
  throw new PluginInstallError(exact, 'NOT_A_PLUGIN', 'it has no entry file for import');
}
