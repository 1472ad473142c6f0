import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * `npm start` builds the sample with SWC, which strips types without checking them, and ts-jest
 * transpiles each file alone: this is where a type error in lib/, sample/, plugins/, test/ or
 * bench/ fails `npm test`.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

describe('the project', () => {
  it('type-checks (tsc -p tsconfig.json --noEmit)', async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(`${result.stdout}${result.stderr}`).toBe('');
  }, 240_000);
});
