import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { isolationArguments } from './bubblewrap-arguments.js';
import { systemPaths } from './system-paths.js';

export type SandboxAvailability = { readonly available: true; readonly command: string } | { readonly available: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 5_000;
/** Per bwrap binary found: the probe runs once per process for each. */
const probed = new Map<string, SandboxAvailability>();

/**
 * Whether `'process'` guests can run in bubblewrap here: `bwrap` on the PATH, and a probe
 * that starts Node in the same namespaces and system view succeeds. Synchronous, so that
 * `launchGuest` stays so; the probe (a few milliseconds) runs once per process.
 */
export function sandboxAvailability(): SandboxAvailability {
  if (process.platform !== 'linux') return { available: false, reason: `bubblewrap needs Linux (this is ${process.platform})` };
  const command = findExecutable('bwrap', process.env.PATH ?? '');
  if (command === undefined) return { available: false, reason: 'bubblewrap (bwrap) is not installed' };
  let known = probed.get(command);
  if (known === undefined) {
    known = probe(command);
    probed.set(command, known);
  }
  return known;
}

function probe(command: string): SandboxAvailability {
  const result = spawnSync(command, [...isolationArguments(process.execPath, systemPaths()), process.execPath, '--version'], {
    env: {},
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: PROBE_TIMEOUT_MS,
  });
  if (result.error !== undefined) return { available: false, reason: `bubblewrap (bwrap) could not run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})` };
  if (result.status === 0) return { available: true, command };
  return { available: false, reason: probeFailureReason(result.stderr) };
}

/** Why the probe failed, from bwrap's first error line, with any path in it left out. */
export function probeFailureReason(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.length > 0);
  if (line === undefined) return 'user namespaces are not available (bwrap failed without a message)';
  const message = line.replace(/^bwrap:\s*/, '').replace(/(^|[\s'"`(=])\/[^\s'"`):,]*/g, '$1<path>');
  return `user namespaces are not available (bwrap: ${message})`;
}

function findExecutable(name: string, searchPath: string): string | undefined {
  for (const directory of searchPath.split(delimiter)) {
    // A relative entry would depend on the working directory: never a sandbox from there.
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
