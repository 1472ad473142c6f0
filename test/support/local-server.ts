import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface LocalServerOptions {
  /** what the server is, for the error of a failed start */
  name: string;
  command: string;
  args: string[];
  /** true once the server answers */
  ready(): Promise<boolean>;
  startupTimeoutMs: number;
  pollIntervalMs: number;
  /** runs after the process has exited (removing its folder) */
  afterStop?(): Promise<void>;
}

/**
 * A server process for tests, on loopback: started, polled until `ready`, and stopped by its
 * own process id (never by name). A failed start stops it and throws with the tail of its output.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<{ stop(): Promise<void> }> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Read, or the server blocks once a pipe is full; the tail explains a failed start.
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let hasExited = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (hasExited = true));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await options.afterStop?.();
  };

  const deadline = Date.now() + options.startupTimeoutMs;
  try {
    while (!(await options.ready())) {
      if (hasExited) throw new Error('the process exited');
      if (Date.now() > deadline) throw new Error(`not ready after ${options.startupTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
  } catch (error) {
    await stop();
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${log}`);
  }
  return { stop };
}
