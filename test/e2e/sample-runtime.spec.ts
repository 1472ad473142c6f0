import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/local-server.js';

/**
 * The README's runtime walk-through, for real: the sample is compiled and run by plain Node
 * (not Jest, whose module cache would hide a plugin file changed on disk), and driven over
 * HTTP: load a plugin that is not loaded at boot, change its compiled file, reload, unload.
 * Then the remote plugin step: the compiled inventory server as its own process.
 */

const root = process.cwd();
const badgesFile = join(root, 'dist', 'plugins', 'runtime', 'badges', 'badges.plugin.js');
const databasePath = join(tmpdir(), `nestjs-plugins-runtime-${process.pid}.sqlite`);
let sample: ReturnType<typeof run>;
let baseUrl: string;

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A compiled script of the sample as its own Node process, with everything it prints. */
function run(script: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env } });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForOutput({ child, output }: ReturnType<typeof run>, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!output().includes(text)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in the output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  sample = run('dist/sample/main.js', { PORT: String(port), DATABASE_PATH: databasePath });
  await waitForOutput(sample, 'Listening on');
}, 120_000);

afterAll(async () => {
  if (sample !== undefined) await stop(sample.child);
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
    await writeFile(badgesFile, source.replace('GOLD_POINTS = 100', 'GOLD_POINTS = 50'));
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
    expect((await http('GET', '/plugins')).body.map((plugin: { name: string }) => plugin.name)).toEqual(['leaderboard', 'user-utils', 'cache-service', 'analytics', 'crm', 'reports', 'word-stats', 'greeting']);
  }, 60_000);

  it('serves the plugin installed from node_modules as a package, sharing the app\'s nestjs-plugins', async () => {
    expect(await http('GET', '/plugins/greeting/hello/ada')).toEqual({ status: 200, body: { greeting: 'Hello, ada!' } });
  });
});

describe('the sample with its remote inventory plugin', () => {
  const asTenant = (tenant: string) => ({ 'X-Tenant-Slug': tenant });

  it('registers the compiled inventory server, reports per tenant through it, and deregisters it on SIGTERM', async () => {
    const inventory = run('dist/sample/inventory/inventory-server.js', { INVENTORY_PORT: String(await freePort()), HOST_URL: baseUrl, INVENTORY_TENANTS: 'acme,globex' });
    try {
      await waitForOutput(inventory, 'registered inventory.products for tenant globex');
      expect((await http('GET', '/plugins/reports/stock', undefined, asTenant('acme'))).body).toMatchObject({ tenant: 'acme', products: 4, totalStock: 55 });
      expect((await http('GET', '/plugins/reports/stock', undefined, asTenant('globex'))).body).toMatchObject({ tenant: 'globex', products: 4, totalStock: 34 });
      expect(inventory.output()).toContain('GET /products for tenant acme, asked by reports');
    } finally {
      expect(await stop(inventory.child)).toBe(0);
    }
    expect(inventory.output()).toContain('deregistered inventory.products for tenant acme');
    expect(inventory.output()).toContain('deregistered inventory.products for tenant globex');
    expect(await http('GET', '/plugins/reports/stock', undefined, asTenant('acme'))).toMatchObject({ status: 503, body: { code: 'PLUGIN_SERVICE_NOT_FOUND' } });
  }, 60_000);

  it('says why the inventory server cannot start when the host refuses it', async () => {
    const inventory = run('dist/sample/inventory/inventory-server.js', { INVENTORY_PORT: String(await freePort()), HOST_URL: baseUrl, GATEWAY_API_KEY: 'wrong-key' });
    expect(await new Promise((resolve) => inventory.child.once('exit', resolve))).toBe(1);
    expect(inventory.output()).toContain(
      '[inventory] cannot start: the host refused the registration for tenant acme: 401 "Missing or invalid API key (header x-api-key)"',
    );
  });

  it('serves /health and the OpenAPI document', async () => {
    expect(await http('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', info: { plugins: { status: 'up' } } } });
    expect(await http('GET', '/api/plugin-gateway/docs/json')).toMatchObject({ status: 200, body: { info: { title: 'Plugin gateway' } } });
  });
});
