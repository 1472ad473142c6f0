import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PG_URL } from '../../support/test-databases.js';
import { freePort } from '../../support/local-server.js';

/**
 * Real instances of a fixture application for the cluster suites: each one a plain Node
 * process (not Jest's module cache) running a compiled entry from test/cluster/fixtures,
 * driven over HTTP on loopback, killed with a real signal, stopped by its own pid.
 */

const root = process.cwd();
/** Where fixtures/tsconfig.json compiles to (the same relative layout as the repository). */
export const CLUSTER_DIST = join(root, 'test', '.tmp', 'cluster-dist');

/** Why a cluster suite cannot run here, or undefined when it can (PostgreSQL is required; NATS is started by the suite). */
export function clusterSkipReason(): string | undefined {
  if (!PG_URL) return 'cluster suite skipped: PG_URL is not set (.ci/run starts PostgreSQL and sets it)';
  return undefined;
}

let compiled: Promise<void> | undefined;

/** Compiles the fixtures (and the library they import relatively) once per test file; incremental after the first. */
export function compileClusterFixtures(): Promise<void> {
  compiled ??= promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'test', 'cluster', 'fixtures', 'tsconfig.json')],
    { cwd: root },
  ).then(() => undefined);
  return compiled;
}

export interface ClusterInstance {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** everything the process printed so far */
  output(): string;
  /** A real signal (SIGKILL by default); resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the same entry again on the same port and env; resolves when it listens. */
  restart(): Promise<void>;
}

export interface InstanceOptions {
  /** the entry, relative to test/cluster/fixtures, compiled: `'app/main.js'` */
  entry: string;
  name: string;
  env: Record<string, string>;
  /** printed once the instance serves HTTP (default `'Listening on'`) */
  readyText?: string;
  startTimeoutMs?: number;
}

const started = new Set<ChildProcess>();

/** Starts one instance with `PORT` set to a free port; resolves when it prints `readyText`. */
export async function startInstance(options: InstanceOptions): Promise<ClusterInstance> {
  const port = await freePort();
  const script = join(CLUSTER_DIST, 'test', 'cluster', 'fixtures', options.entry);
  let child: ChildProcess;
  let output = '';

  const launch = async (): Promise<void> => {
    output = '';
    child = spawn(process.execPath, [script], {
      cwd: root,
      env: { ...process.env, ...options.env, PORT: String(port), NODE_ID: options.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    child.once('exit', () => started.delete(child));
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    const readyText = options.readyText ?? 'Listening on';
    while (!output.includes(readyText)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.name} exited before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${options.name} printed no "${readyText}" in time:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  await launch();
  return {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child.pid;
    },
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    output: () => output,
    kill: (signal = 'SIGKILL') => stopProcess(child, signal),
    restart: launch,
  };
}

/** Starts `count` instances at once (names `<prefix>-0`, `<prefix>-1`, …). */
export function startInstances(count: number, options: Omit<InstanceOptions, 'name'> & { namePrefix?: string }): Promise<ClusterInstance[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) => startInstance({ ...options, name: `${options.namePrefix ?? 'node'}-${index}` })),
  );
}

/** Stops every instance this test file started that is still running (SIGTERM, then SIGKILL after 5 s). */
export async function stopAllInstances(): Promise<void> {
  await Promise.all([...started].map((child) => stopProcess(child, 'SIGTERM')));
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const escalation = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(escalation);
}

/** JSON over HTTP with a bounded wait; network errors (a killed instance) come back as status 0. */
export async function request(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 5_000,
): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Polls until `check` holds or the time is up; returns how long it took, or throws with `what`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000, everyMs = 25): Promise<number> {
  const startedAt = Date.now();
  while (!(await check())) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return Date.now() - startedAt;
}
