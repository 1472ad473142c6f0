import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { freePort } from '../support/local-server.js';
import { clusterSkipReason, request, waitUntil } from './support/cluster-harness.js';

/**
 * The README's "Running several instances", for real: `node dist/sample/cluster.js` (what
 * `npm run start:cluster` runs after building) starts three instances of the sample on one
 * PostgreSQL database and NATS; a plugin loaded or unloaded through one is served or gone on all.
 */

const skipReason = clusterSkipReason();
const root = process.cwd();
let database: TestDatabase;
let nats: NatsServer | undefined;
let cluster: ChildProcess;
let output = '';
let urls: string[] = [];

/** Three consecutive free ports (the script uses PORT, PORT+1, PORT+2). */
async function freePortRun(): Promise<number> {
  for (;;) {
    const base = await freePort();
    const next = await Promise.all([freePort(), freePort()]);
    if (base < 65_000 && next.every((port) => port !== base + 1 && port !== base + 2)) return base;
  }
}

(skipReason === undefined ? describe : describe.skip)('npm run start:cluster: three instances of the sample', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
    database = await createTestDatabase('postgres');
    nats = await startNatsServer({ jetstream: true });
    const basePort = await freePortRun();
    urls = [0, 1, 2].map((index) => `http://127.0.0.1:${basePort + index}`);
    const connection = database.connection as { url: string };
    cluster = spawn(process.execPath, ['dist/sample/cluster.js'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: connection.url, PORT: String(basePort), ...(nats ? { NATS_URL: nats.url } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cluster.stdout!.on('data', (chunk) => (output += chunk));
    cluster.stderr!.on('data', (chunk) => (output += chunk));
    await waitUntil(() => (output.match(/Listening on/g) ?? []).length === 3 || cluster.exitCode !== null, 'three instances listening', 60_000, 100);
    if (cluster.exitCode !== null) throw new Error(`the cluster script exited:\n${output}`);
  }, 180_000);

  afterAll(async () => {
    if (cluster !== undefined && cluster.exitCode === null) {
      const exited = new Promise((resolve) => cluster.once('exit', resolve));
      cluster.kill('SIGTERM');
      await exited;
    }
    await nats?.stop();
    await database?.drop();
  }, 60_000);

  it('serves the same plugins on every instance, on one database', async () => {
    for (const url of urls) {
      const plugins = (await request(`${url}/plugins`, 'GET')).body as Array<{ name: string; state: string }>;
      expect(plugins.map((plugin) => plugin.name).sort()).toEqual(['analytics', 'cache-service', 'crm', 'greeting', 'leaderboard', 'reports', 'user-utils', 'word-stats']);
    }
    await request(`${urls[1]}/plugins/leaderboard/award`, 'POST', { userId: 'alice', points: 60 });
    expect((await request(`${urls[2]}/plugins/leaderboard/score/alice`, 'GET')).body).toEqual({ userId: 'alice', score: 60 });
  });

  it('loads a plugin through one instance and unloads it through another, everywhere', async () => {
    expect((await request(`${urls[0]}/admin/plugins/badges/load`, 'POST')).status).toBe(201);
    for (const url of urls) {
      await waitUntil(async () => (await request(`${url}/plugins/badges/alice`, 'GET')).status === 200, `badges served by ${url}`, 5_000);
    }
    expect((await request(`${urls[2]}/plugins/badges/alice`, 'GET')).body).toEqual({ userId: 'alice', score: 60, badge: 'silver' });

    expect((await request(`${urls[2]}/admin/plugins/badges/unload`, 'POST')).body).toEqual({ unloaded: 'badges' });
    for (const url of urls) {
      await waitUntil(async () => (await request(`${url}/plugins/badges/alice`, 'GET')).status === 404, `badges gone from ${url}`, 5_000);
    }
  }, 30_000);
});

if (skipReason !== undefined) it.skip(skipReason, () => undefined);
