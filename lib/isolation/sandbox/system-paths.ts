import { lstatSync, readlinkSync } from 'node:fs';
import type { SystemPath } from './bubblewrap-arguments.js';

/** Where Node's shared libraries and the dynamic loader's cache live on Linux distributions. */
const CANDIDATES = ['/usr/lib', '/usr/lib64', '/lib', '/lib64', '/etc/ld.so.cache'];

/** The candidates this machine has, symlinks (a merged /usr: `/lib -> usr/lib`) kept as symlinks. */
export function systemPaths(): SystemPath[] {
  const found: SystemPath[] = [];
  for (const path of CANDIDATES) {
    try {
      found.push(lstatSync(path).isSymbolicLink() ? { path, symlinkTo: readlinkSync(path) } : { path });
    } catch {
      // absent on this distribution
    }
  }
  return found;
}
