import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The README's runtime walk-through, for real: the sample is compiled and run by plain Node
 * (not Jest, whose module cache would hide a plugin file changed on disk), and driven over
 * HTTP: load a plugin that is not loaded at boot, change its compiled file, reload, unload.
 */

const root = process.cwd();
const badgesFile = join(root, 'dist', 'plugins', 'runtime', 'badges', 'badges.plugin.js');
const databasePath = join(tmpdir(), `nestjs-plugins-runtime-${process.pid}.sqlite`);
let server: ChildProcess;
let baseUrl: string;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['dist/sample/main.js'], { cwd: root, env: { ...process.env, PORT: String(port), DATABASE_PATH: databasePath } });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Listening on')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the sample did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await rm(databasePath, { force: true });
});

describe('the sample, loading plugins while it runs', () => {
  it('loads, serves, reloads changed code, and unloads a plugin without a restart', async () => {
    expect((await http('GET', '/plugins/badges/alice')).status).toBe(404);
    expect((await http('POST', '/plugins/leaderboard/award', { userId: 'alice', points: 60 })).body).toEqual({ userId: 'alice', newScore: 60 });

    const loaded = await http('POST', '/admin/plugins/badges/load');
    expect(loaded).toMatchObject({ status: 201, body: { name: 'badges', version: '1.0.0', state: 'active' } });
    expect((await http('GET', '/plugins/badges/alice')).body).toEqual({ userId: 'alice', score: 60, badge: 'silver' });

    // Change the compiled code on disk: gold from 50 points instead of 100.
    const source = await readFile(badgesFile, 'utf8');
    await writeFile(badgesFile, source.replace("['gold', 100]", "['gold', 50]"));
    expect((await http('POST', '/admin/plugins/badges/reload')).body).toMatchObject({ name: 'badges', state: 'active' });
    expect((await http('GET', '/plugins/badges/alice')).body).toEqual({ userId: 'alice', score: 60, badge: 'gold' });

    expect(await http('POST', '/admin/plugins/user-utils/unload')).toEqual({
      status: 409,
      body: { statusCode: 409, code: 'PLUGIN_HAS_DEPENDENTS', message: 'Cannot unload "user-utils": required by leaderboard, badges' },
    });
    expect((await http('POST', '/admin/plugins/badges/unload')).body).toEqual({ unloaded: 'badges' });
    expect((await http('GET', '/plugins/badges/alice')).status).toBe(404);
    expect((await http('POST', '/admin/plugins/badges/unload')).status).toBe(404);
    expect((await http('POST', '/admin/plugins/no-such-plugin/load')).body).toMatchObject({ statusCode: 422, code: 'PLUGIN_LOAD_FAILED' });
    expect((await http('GET', '/plugins')).body.map((plugin: { name: string }) => plugin.name)).toEqual(['leaderboard', 'user-utils', 'cache-service', 'analytics', 'crm']);
  }, 60_000);
});
