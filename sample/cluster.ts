import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run start:cluster`: three instances of the sample on one machine, sharing the
 * PostgreSQL database in DATABASE_URL (and NATS at NATS_URL when set), on ports PORT,
 * PORT+1 and PORT+2 (PORT defaults to 3000). Ctrl+C stops all three.
 */
const INSTANCES = 3;
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined) {
  console.error('Set DATABASE_URL to a PostgreSQL database the instances share, e.g. postgres://postgres@127.0.0.1:5432/nestjs_plugins');
  process.exit(2);
}

const basePort = Number(process.env.PORT ?? 3000);
const main = join(dirname(fileURLToPath(import.meta.url)), 'main.js');
const instances: ChildProcess[] = [];

function prefixLines(nodeId: string, chunk: Buffer, write: (text: string) => void): void {
  for (const line of chunk.toString().split('\n')) if (line !== '') write(`[${nodeId}] ${line}\n`);
}

for (let index = 0; index < INSTANCES; index++) {
  const nodeId = `node-${index + 1}`;
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(basePort + index), NODE_ID: nodeId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => prefixLines(nodeId, chunk, (text) => process.stdout.write(text)));
  child.stderr!.on('data', (chunk: Buffer) => prefixLines(nodeId, chunk, (text) => process.stderr.write(text)));
  // One instance dying (a crash, or a kill to try the cluster out) leaves the others running.
  child.on('exit', (code, signal) => console.log(`[${nodeId}] exited (${signal ?? code})`));
  instances.push(child);
}

function stopAll(): void {
  for (const child of instances) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
