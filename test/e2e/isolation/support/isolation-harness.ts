import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Isolated plugins run compiled JavaScript in their guest, and their classes must come from the
 * same copy of the library as the host that registers them. So these suites compile the fixtures
 * and the library they import into test/.tmp/isolation-dist (incrementally) and drive that copy.
 */
const root = process.cwd();
export const ISOLATION_DIST = join(root, 'test', '.tmp', 'isolation-dist');

let compiled: Promise<void> | undefined;

export function compileIsolationFixtures(): Promise<void> {
  compiled ??= promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'test', 'e2e', 'isolation', 'fixtures', 'tsconfig.json')],
    { cwd: root },
  ).then(() => undefined);
  return compiled;
}

/** A compiled file: `lib/index.js`, or a fixture relative to test/e2e/isolation/fixtures. */
export function compiledLibrary(file = 'index.js'): string {
  return join(ISOLATION_DIST, 'lib', file);
}

export function compiledFixture(file: string): string {
  return join(ISOLATION_DIST, 'test', 'e2e', 'isolation', 'fixtures', file);
}

/** Polls until `check` holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type CompiledLibrary = typeof import('../../../../lib/index.js');

/** The compiled library, and an application hosting the fixtures with `iso-echo` in `mode`. */
export async function loadCompiledLibrary(): Promise<CompiledLibrary> {
  await compileIsolationFixtures();
  return (await import(compiledLibrary())) as CompiledLibrary;
}
