import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort, startLocalServer } from './local-server.js';

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
  const { stop } = await startLocalServer({
    name: `nats-server (${binary}) on port ${port}`,
    command: binary,
    args: ['-a', '127.0.0.1', '-p', String(port), ...jetstreamArguments],
    ready: () => accepts(port),
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
    pollIntervalMs: 25,
    afterStop: async () => {
      if (storeDirectory !== undefined) await rm(storeDirectory, { recursive: true, force: true });
    },
  });
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
