import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the host keeps the scratch folders of running `'process'` guests. */
export const SCRATCH_ROOT = join(tmpdir(), 'nestjs-plugins-scratch');

/** A new, empty folder only its owner can enter: `<root>/<label>-<random>`. */
export function createScratchFolder(label: string): string {
  mkdirSync(SCRATCH_ROOT, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(SCRATCH_ROOT, `${label}-`));
}

export function removeScratchFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true, maxRetries: 3 });
}
