import { createServer, type Server } from 'node:http';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { clusterSkipReason, compileClusterFixtures, request, stopAllInstances, waitUntil, type ClusterInstance } from '../support/cluster-harness.js';
import { startStateApp } from '../support/state-app.js';

const skip = clusterSkipReason();
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

const TENANT = { 'x-tenant-slug': 'acme' };
/** DEGRADED after 2 s of silence, UNAVAILABLE after 4 s (the fixture's STALE_MS). */
const STALE_MS = 2_000;

/**
 * Shared registries and shared data across three real instances, woken by PostgreSQL
 * LISTEN/NOTIFY (no NATS): a registration through A serves calls on B and C; under sustained
 * writes one instance is SIGKILLed, and no acknowledged write is lost and its services go
 * UNAVAILABLE; a 500 ms stall of one instance makes no live service look UNAVAILABLE.
 */
describeCluster('cluster shared registries and shared data', () => {
  let database: TestDatabase;
  let instances: ClusterInstance[];
  let a: ClusterInstance, b: ClusterInstance, c: ClusterInstance;
  let crm: Server;
  let crmUrl: string;
  let crmHeartbeat: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    await compileClusterFixtures();
    database = await createTestDatabase('postgres');
    const url = (database.connection as { url: string }).url;
    instances = await Promise.all(['a', 'b', 'c'].map((name) => startStateApp(`shared-${name}`, url, { STALE_MS: String(STALE_MS) })));
    [a, b, c] = instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    crm = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ contact: req.url })));
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    crmUrl = `http://127.0.0.1:${(crm.address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    clearInterval(crmHeartbeat);
    await stopAllInstances();
    await new Promise((resolve) => crm?.close(resolve));
    await database?.drop();
  }, 30_000);

  const gateway = (instance: ClusterInstance, path: string, method = 'GET', body?: unknown) =>
    request(`${instance.url}/api/plugin-gateway/${path}`, method, body, TENANT);
  const serviceStates = async (instance: ClusterInstance) =>
    new Map(((await request(`${instance.url}/cluster/services`, 'GET')).body as { pluginId: string; state: string }[]).map((service) => [service.pluginId, service.state]));

  it('uses a registration made through A in the gateway on B and C', async () => {
    const registered = await gateway(a, 'services/register', 'POST', {
      pluginId: 'crm',
      serviceName: 'crm.contacts',
      version: '1.2.0',
      baseUrl: crmUrl,
      endpoints: [{ method: 'GET', path: '/contacts/:id' }],
    });
    expect(registered.status).toBe(201);
    crmHeartbeat = setInterval(() => void gateway(a, `services/${registered.body.serviceId}/heartbeat`, 'POST'), 500);
    expect((await gateway(a, 'dependencies', 'POST', { dependencies: [{ pluginId: 'portal', dependsOnPluginId: 'crm', version: '^1.0.0' }] })).status).toBe(201);

    const call = { callerPluginId: 'portal', targetPluginId: 'crm', targetServiceName: 'crm.contacts', method: 'GET', path: '/contacts/7' };
    for (const instance of [b, c]) {
      const tookMs = await waitUntil(async () => (await gateway(instance, 'call', 'POST', call)).status === 200, `the call through ${instance.name}`, 3_000);
      expect(tookMs).toBeLessThan(3_000);
      expect((await gateway(instance, 'call', 'POST', call)).body).toEqual({ status: 200, data: { contact: '/contacts/7' } });
    }
  }, 20_000);

  it('loses no acknowledged shared-data write when an instance is SIGKILLed under load, and marks its services UNAVAILABLE within 20 s', async () => {
    const acknowledged = new Map<string, number>();
    let stop = false;
    let sequence = 0;
    const writer = async (worker: number) => {
      while (!stop) {
        const index = sequence++;
        const target = instances[index % 3]!;
        const key = `k-${worker}-${index}`;
        const response = await request(`${target.url}/data/${key}`, 'PUT', { value: index }, TENANT, 2_000);
        if (response.status >= 200 && response.status < 300) acknowledged.set(key, index);
      }
    };
    const writers = Array.from({ length: 4 }, (_, worker) => writer(worker));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await c.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop = true;
    await Promise.all(writers);

    expect(acknowledged.size).toBeGreaterThan(50);
    const lost: string[] = [];
    for (const [key, value] of acknowledged) {
      for (const survivor of [a, b]) {
        const read = await request(`${survivor.url}/data/${key}`, 'GET', undefined, TENANT);
        if (read.status !== 200 || read.body.value !== value) lost.push(`${key} on ${survivor.name}`);
      }
    }
    expect(lost).toEqual([]);

    for (const survivor of [a, b]) {
      await waitUntil(async () => (await serviceStates(survivor)).get('side-shared-c') === 'UNAVAILABLE', `C's service UNAVAILABLE on ${survivor.name}`, 20_000 - (Date.now() - killedAt));
    }
    console.log(`killed instance's service UNAVAILABLE on both survivors ${Date.now() - killedAt} ms after SIGKILL; ${acknowledged.size} acknowledged writes, 0 lost`);
    expect([...(await serviceStates(a))].filter(([pluginId]) => pluginId !== 'side-shared-c').every(([, state]) => state === 'HEALTHY')).toBe(true);
  }, 40_000);

  it('shows no live service UNAVAILABLE during a 500 ms event-loop stall of one instance', async () => {
    const seen: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const [pluginId, state] of await serviceStates(b)) if (pluginId !== 'side-shared-c' && state === 'UNAVAILABLE') seen.push(`${pluginId} ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    expect((await request(`${a.url}/stall`, 'POST', { ms: 500 })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, STALE_MS));
    watching = false;
    await watch;
    expect(seen).toEqual([]);
    expect((await serviceStates(b)).get('side-shared-a')).toBe('HEALTHY');
  }, 20_000);
});
