import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './harness.js';

/** The repository, from bench/.build/bench/. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MB = 1024 * 1024;

/**
 * What installing the package costs an application: `npm pack` (which builds it), then the
 * tarball installed into an empty app in a temporary folder, from npm's cache when it holds
 * everything, else from the registry. Peer dependencies are left out (`--legacy-peer-deps`): a
 * Nest application has them already. The figure is the apparent size of node_modules.
 */
export function runPackageSizeBench(): Figure[] {
  const directory = mkdtempSync(join(tmpdir(), 'bench-package-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', directory], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const app = join(directory, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty-app', version: '1.0.0', private: true }));
    const install = ['install', join(directory, tarball), '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'];
    let source = 'npm cache (offline)';
    try {
      execFileSync('npm', [...install, '--offline'], { cwd: app, stdio: 'ignore' });
    } catch {
      source = 'the registry';
      execFileSync('npm', install, { cwd: app, stdio: 'ignore' });
    }
    const modules = join(app, 'node_modules');
    const packages = installedPackages(modules).map((path) => ({ name: path.slice(modules.length + 1), bytes: sizeOf(path) }));
    packages.sort((left, right) => right.bytes - left.bytes);
    const total = sizeOf(modules);
    const heaviest = packages
      .slice(0, 4)
      .map(({ name, bytes }) => `${name} ${(bytes / MB).toFixed(1)}`)
      .join(', ');
    return [
      {
        name: 'installed size of the packed package with its dependencies, in an empty app (peers left out)',
        detail: `${packages.length} packages from ${source}; heaviest (MB): ${heaviest}`,
        value: total / MB,
        unit: 'MB',
        target: { comparison: '≤', limit: 25 },
      },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Every package folder under node_modules (scoped ones one level down; nested node_modules counted with their parent). */
function installedPackages(modules: string): string[] {
  return readdirSync(modules)
    .filter((entry) => !entry.startsWith('.'))
    .flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(modules, entry)).map((scoped) => join(modules, entry, scoped)) : [join(modules, entry)]));
}

/** Apparent size: the bytes of every file, links not followed. */
function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, entry) => total + sizeOf(join(path, entry)), 0);
}
