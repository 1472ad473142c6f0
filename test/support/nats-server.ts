import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export interface NatsServer {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;
// apt installs nats-server into /usr/sbin, which is not on every user's PATH.
const EXTRA_BINARY_DIRECTORIES = ['/usr/sbin', '/usr/bin', '/usr/local/bin'];

export interface NatsServerOptions {
  /** JetStream on (`-js`), its files in a fresh directory removed by `stop` */
  jetstream?: boolean;
}

/**
 * A NATS server for tests: `NATS_URL` when set (left running; it must have JetStream for
 * suites that ask for it), else a `nats-server` binary started on a free loopback port
 * (stopped by `stop`), else undefined.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer | undefined> {
  if (process.env.NATS_URL) return { url: process.env.NATS_URL, stop: async () => {} };
  const binary = findNatsServerBinary();
  if (binary === undefined) return undefined;

  const port = await freePort();
  const storeDirectory = options.jetstream ? await mkdtemp(join(tmpdir(), 'nestjs-plugins-jetstream-')) : undefined;
  const jetstreamArguments = storeDirectory === undefined ? [] : ['-js', '-sd', storeDirectory];
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), ...jetstreamArguments], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Read, or the server blocks once the pipe is full; the tail explains a failed start.
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (storeDirectory !== undefined) await rm(storeDirectory, { recursive: true, force: true });
  };

  try {
    await waitUntilAccepting(port, exited);
  } catch (error) {
    await stop();
    throw new Error(`nats-server (${binary}) did not start on port ${port}: ${(error as Error).message}\n${log}`);
  }
  return { url: `nats://127.0.0.1:${port}`, stop };
}

function findNatsServerBinary(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_BINARY_DIRECTORIES];
  for (const directory of directories) {
    const candidate = join(directory, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(port: number, exited: Promise<void>): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (hasExited) throw new Error('the process exited');
    if (Date.now() > deadline) throw new Error(`not accepting connections after ${STARTUP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
