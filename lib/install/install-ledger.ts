import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PluginInstallOptions } from './install-options.js';
import { pinnedSource, type InstalledOrigin } from './installed-origin.js';

/** The installed packages' exact tarballs, `{ "<package>": "registry:<name>@<version>#<integrity>" }`, beside them. */
const LEDGER = 'installed.json';

/** Where installed packages go: `installDir`, relative to the application's directory. */
export function installDirOf(options: PluginInstallOptions, applicationRoot: string): string {
  return resolve(applicationRoot, options.installDir ?? 'installed-plugins');
}

/** The pinned sources installed here, in the order they were installed; none without a ledger. */
export async function installedSources(installDir: string): Promise<string[]> {
  return Object.values(await read(installDir));
}

/** Records a package's installed tarball (replacing its earlier version). */
export async function recordInstalled(installDir: string, origin: InstalledOrigin): Promise<void> {
  const entries = await read(installDir);
  delete entries[origin.package];
  await write(installDir, { ...entries, [origin.package]: pinnedSource(origin) });
}

/** Forgets a package once its files are removed. */
export async function forgetInstalled(installDir: string, packageName: string): Promise<void> {
  const entries = await read(installDir);
  if (!(packageName in entries)) return;
  delete entries[packageName];
  await write(installDir, entries);
}

async function read(installDir: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(join(installDir, LEDGER), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Written aside and renamed: a crash mid-write leaves the previous ledger. */
async function write(installDir: string, entries: Record<string, string>): Promise<void> {
  const file = join(installDir, LEDGER);
  await writeFile(`${file}.next`, `${JSON.stringify(entries, null, 2)}\n`);
  await rename(`${file}.next`, file);
}
