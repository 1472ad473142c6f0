import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { clusterSkipReason, compileClusterFixtures, request, stopAllInstances, waitUntil, type ClusterInstance } from '../support/cluster-harness.js';
import { pluginState, quantile, startStateApp, writeRuntimePlugin } from '../support/state-app.js';

const skip = clusterSkipReason();
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

/**
 * Desired state across three real instances (wake-ups over NATS): load/unload/reload on one
 * converge on the others; refusals stay where they were made; an instance that hears no
 * wake-up converges by its poll; a restarted one converges on boot; nodes() tells them apart.
 */
describeCluster('cluster desired state', () => {
  let database: TestDatabase;
  let nats: NatsServer;
  let a: ClusterInstance, b: ClusterInstance, c: ClusterInstance;
  let env: Record<string, string>;

  beforeAll(async () => {
    await compileClusterFixtures();
    database = await createTestDatabase('postgres');
    nats = (await startNatsServer())!;
    env = { NATS_URL: nats.url, HEARTBEAT_MS: '500' };
    const url = (database.connection as { url: string }).url;
    [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => startStateApp(`state-${name}`, url, env)));
  }, 60_000);

  afterAll(async () => {
    await stopAllInstances();
    await nats?.stop();
    await database?.drop();
  }, 30_000);

  const admin = (instance: ClusterInstance, path: string, body?: unknown) => request(`${instance.url}/cluster/${path}`, 'POST', body ?? {});
  const convergedOn = (instances: ClusterInstance[], name: string, state: string | undefined) =>
    waitUntil(async () => (await Promise.all(instances.map((instance) => pluginState(instance, name)))).every((seen) => seen === state), `${name} ${state ?? 'gone'}`, 5_000, 10);

  it('converges load and unload on A to B and C with p99 within 2 s over 50 operations', async () => {
    const file = await writeRuntimePlugin('echo');
    const latencies: number[] = [];
    for (let operation = 0; operation < 50; operation++) {
      const loading = operation % 2 === 0;
      const response = loading ? await admin(a, 'load', { source: file }) : await admin(a, 'unload/echo');
      expect(response.status).toBe(200);
      latencies.push(await convergedOn([b, c], 'echo', loading ? 'active' : undefined));
    }
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    console.log(`desired state converged on 2 instances: p50 ${p50} ms, p99 ${p99} ms over 50 operations`);
    expect(p99).toBeLessThanOrEqual(2_000);
  }, 60_000);

  it('keeps a refusal on the instance that made the call and writes nothing', async () => {
    await admin(a, 'load', { source: await writeRuntimePlugin('users') });
    await admin(a, 'load', { source: await writeRuntimePlugin('reports', { dependencies: ['users'] }) });
    await convergedOn([b, c], 'reports', 'active');

    const refused = await admin(a, 'unload/users');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('Cannot unload "users": required by reports');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([await pluginState(b, 'users'), await pluginState(c, 'users')]).toEqual(['active', 'active']);

    expect((await admin(b, 'unload/users?cascade=true')).status).toBe(200);
    await convergedOn([a, c], 'users', undefined);
    expect(await pluginState(a, 'reports')).toBeUndefined();
  }, 20_000);

  it('applies the admin REST routes of any instance everywhere', async () => {
    await writeRuntimePlugin('audit');
    expect((await request(`${b.url}/api/plugin-gateway/plugins/load`, 'POST', { file: 'audit.plugin.js' })).status).toBe(201);
    await convergedOn([a, c], 'audit', 'active');
    expect((await request(`${c.url}/api/plugin-gateway/plugins/audit/unload`, 'POST')).status).toBe(200);
    await convergedOn([a, b], 'audit', undefined);
  }, 20_000);

  it('runs the new code on the other instances after a reload', async () => {
    const file = await writeRuntimePlugin('versioned', { tag: 'v1' });
    await admin(a, 'load', { source: file });
    await convergedOn([b, c], 'versioned', 'active');
    expect((await request(`${b.url}/plugins/versioned/version`, 'GET')).body).toEqual({ tag: 'v1' });

    await writeRuntimePlugin('versioned', { tag: 'v2' });
    expect((await admin(a, 'reload/versioned')).status).toBe(200);
    for (const instance of [b, c]) {
      await waitUntil(async () => (await request(`${instance.url}/plugins/versioned/version`, 'GET')).body?.tag === 'v2', `v2 on ${instance.name}`, 2_000);
    }
  }, 20_000);

  it('converges an instance that misses every wake-up within one poll', async () => {
    const pollMs = 1_000;
    const deaf = await startStateApp('state-deaf', (database.connection as { url: string }).url, { ...env, NOTIFY: 'none', POLL_MS: String(pollMs) });
    const startedAt = Date.now();
    await admin(a, 'load', { source: await writeRuntimePlugin('quiet') });
    await waitUntil(async () => (await pluginState(deaf, 'quiet')) === 'active', 'quiet on the deaf instance', pollMs + 1_000);
    expect(Date.now() - startedAt).toBeLessThanOrEqual(pollMs + 1_000);
    await deaf.kill('SIGTERM');
  }, 30_000);

  it('shows each instance in nodes(), a killed one as unreachable, and converges a restarted one on boot', async () => {
    const nodes = async () => (await request(`${a.url}/cluster/nodes`, 'GET')).body as { nodeId: string; status: string; self: boolean; plugins: { name: string; state: string }[] }[];
    const listed = await nodes();
    expect(listed.filter((node) => ['state-a', 'state-b', 'state-c'].includes(node.nodeId)).map((node) => [node.nodeId, node.status, node.self])).toEqual([
      ['state-a', 'alive', true],
      ['state-b', 'alive', false],
      ['state-c', 'alive', false],
    ]);
    await waitUntil(async () => (await nodes()).find((node) => node.nodeId === 'state-b')!.plugins.some((plugin) => plugin.name === 'versioned' && plugin.state === 'active'), 'versioned in B heartbeat', 3_000);

    await c.kill('SIGKILL');
    await waitUntil(async () => (await nodes()).find((node) => node.nodeId === 'state-c')!.status === 'unreachable', 'C unreachable', 5_000);

    await admin(a, 'load', { source: await writeRuntimePlugin('late') });
    await admin(a, 'unload/versioned');
    await c.restart();
    expect(await pluginState(c, 'late')).toBe('active');
    expect(await pluginState(c, 'versioned')).toBeUndefined();
    await waitUntil(async () => (await nodes()).find((node) => node.nodeId === 'state-c')!.status === 'alive', 'C alive again', 3_000);
  }, 30_000);
});
