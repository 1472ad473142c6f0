import { DataSource } from 'typeorm';
import { ClusterStore } from '../../../lib/cluster/cluster.store.js';

/** The store's SQL on SQLite (the PostgreSQL side runs in test/cluster). */
describe('ClusterStore on SQLite', () => {
  let dataSource: DataSource;
  let store: ClusterStore;
  const registration = { pluginId: 'crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl: 'http://127.0.0.1:3100', endpoints: [] };

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    store = new ClusterStore(dataSource);
    await store.ensureSchema();
    await store.ensureSchema();
  });
  afterAll(() => dataSource.destroy());

  it('creates its tables idempotently and writes each change under a new revision', async () => {
    expect(await store.desiredState()).toEqual({ revision: 0, plugins: [] });
    expect(await store.writeDesired([{ name: 'users', loaded: true, source: '/p/users.js' }])).toBe(1);
    expect(await store.writeDesired([{ name: 'users', loaded: false, source: '/p/users.js' }, { name: 'reports', loaded: false, source: null }])).toBe(2);
    expect(await store.desiredState()).toEqual({
      revision: 2,
      plugins: expect.arrayContaining([
        { name: 'users', source: '/p/users.js', loaded: false, revision: 2 },
        { name: 'reports', source: null, loaded: false, revision: 2 },
      ]),
    });
  });

  it("adds the columns a store created by an older version lacks (the desired state's version)", async () => {
    const old = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    try {
      await old.query('CREATE TABLE "plugin_cluster_desired" ("name" text PRIMARY KEY, "source" text, "loaded" integer NOT NULL, "revision" bigint NOT NULL)');
      await old.query(`INSERT INTO "plugin_cluster_desired" VALUES ('users', '/p/users.js', 1, 1)`);
      const upgraded = new ClusterStore(old);
      await upgraded.ensureSchema();
      await upgraded.writeDesired([{ name: 'reports', loaded: true, source: '/p/reports.js', version: '2.0.0' }]);
      expect((await upgraded.desiredState()).plugins).toEqual(
        expect.arrayContaining([
          { name: 'users', source: '/p/users.js', loaded: true, revision: 1 },
          expect.objectContaining({ name: 'reports', version: '2.0.0' }),
        ]),
      );
    } finally {
      await old.destroy();
    }
  });

  it('keeps the id of a service registered again and never moves a heartbeat back', async () => {
    expect(await store.registerService('id-1', undefined, registration, 100)).toBe('id-1');
    expect(await store.registerService('id-2', undefined, registration, 200)).toBe('id-1');
    await store.heartbeat('id-1', 500);
    await store.heartbeat('id-1', 400);
    expect(await store.services()).toEqual([{ id: 'id-1', tenantId: undefined, registration, registeredAtMs: 200, heartbeatAtMs: 500 }]);
    await store.deregisterService(undefined, 'crm', 'crm.contacts');
    expect(await store.services()).toEqual([]);
  });

  it('keeps one declaration per tenant and pair, and node heartbeats with their plugins and rates', async () => {
    const dependency = { pluginId: 'portal', dependsOnPluginId: 'crm', version: '^1.0.0' };
    await store.registerDependencies('acme', [dependency]);
    await store.registerDependencies('acme', [{ ...dependency, version: '^2.0.0' }]);
    expect(await store.dependencies()).toEqual([{ tenantId: 'acme', registration: { ...dependency, version: '^2.0.0' } }]);

    const rates = [{ plugin: 'users', seconds: 60, calls: 12, errors: 1, buckets: [0, 3, 9] }];
    await store.beat({ nodeId: 'n1', heartbeatAtMs: 1_000, revision: 2, plugins: [{ name: 'users', version: '1.0.0', state: 'active' }], rates });
    expect((await store.nodes())[0]!.rates).toEqual(rates);
    await store.beat({ nodeId: 'n1', heartbeatAtMs: 2_000, revision: 3, plugins: [], rates: [] });
    expect(await store.nodes()).toEqual([{ nodeId: 'n1', heartbeatAtMs: 2_000, revision: 3, plugins: [], rates: [] }]);
  });
});
