import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Cluster } from '../../../lib/cluster/cluster.js';
import { CLUSTER } from '../../../lib/cluster/cluster.tokens.js';
import { PluginManager, PluginModule, PluginRegistry, type ClusterOptions } from '../../../lib/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { PluginFiles } from '../../e2e/runtime/plugin-files.js';

/**
 * Cluster mode in one process on SQLite (no PostgreSQL needed): what a reconcile does with
 * lines another instance wrote, what a refusal leaves in the store, and `nodes()` with and
 * without `cluster`.
 */
describe('cluster mode in one process (SQLite store)', () => {
  let database: TestDatabase;
  let files: PluginFiles;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    files = await PluginFiles.create();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await files.remove();
    await database.drop();
  });

  async function boot(cluster?: ClusterOptions): Promise<INestApplicationContext> {
    @Module({ imports: [TypeOrmModule.forRoot({ ...database.connection, synchronize: true }), PluginModule.forRoot({ plugins: [], cluster })] })
    class SingleInstanceModule {}
    app = await NestFactory.createApplicationContext(SingleInstanceModule, { logger: false });
    await app.init();
    return app;
  }

  it('reconciles to lines another instance wrote: load, reload, then unload', async () => {
    const context = await boot({ nodeId: 'solo', pollIntervalMs: 60_000 });
    const cluster = context.get<Cluster>(CLUSTER);
    const manager = context.get(PluginManager);
    const registry = context.get(PluginRegistry);
    const file = await files.write('remote-made', { body: 'next() { this.count = (this.count ?? 0) + 1; return this.count; }' });

    await cluster.store.writeDesired([{ name: 'remote-made', loaded: true, source: file }]);
    await manager.reconcile();
    expect(registry.list().map((plugin) => [plugin.name, plugin.state])).toEqual([['remote-made', 'active']]);

    expect([registry.call('remote-made', 'next' as never), registry.call('remote-made', 'next' as never)]).toEqual([1, 2]);
    // A reload elsewhere (new code there; the multi-process suite checks the code): a fresh instance here.
    await cluster.store.writeDesired([{ name: 'remote-made', loaded: true, source: file }]);
    await manager.reconcile();
    expect(registry.call('remote-made', 'next' as never)).toBe(1);

    await cluster.store.writeDesired([{ name: 'remote-made', loaded: false, source: file }]);
    await manager.reconcile();
    expect(registry.list()).toEqual([]);
  });

  it('writes a change made here under a new revision, and nothing for a refusal', async () => {
    const context = await boot({ nodeId: 'solo', pollIntervalMs: 60_000 });
    const cluster = context.get<Cluster>(CLUSTER);
    const manager = context.get(PluginManager);
    await manager.load(await files.write('users'));
    await manager.load(await files.write('reports', { dependencies: ['users'] }));
    const before = await cluster.store.desiredState();
    expect(before.plugins.map(({ name, loaded }) => [name, loaded])).toEqual([
      ['users', true],
      ['reports', true],
    ]);

    await expect(manager.unload('users')).rejects.toThrow('Cannot unload "users": required by reports');
    expect(await cluster.store.desiredState()).toEqual(before);

    await manager.unload('users', { cascade: true });
    const after = await cluster.store.desiredState();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.plugins.every((plugin) => !plugin.loaded && plugin.revision === after.revision)).toBe(true);
  });

  it('lists this instance in nodes(), with or without cluster', async () => {
    const solo = await boot({ nodeId: 'solo', pollIntervalMs: 60_000 });
    await solo.get(PluginManager).load(await files.write('pinger'));
    expect(await solo.get(PluginManager).nodes()).toMatchObject([
      { nodeId: 'solo', status: 'alive', self: true, plugins: [{ name: 'pinger', version: '1.0.0', state: 'active' }] },
    ]);
    await solo.close();

    const plain = await boot();
    expect(plain.get(CLUSTER)).toBeNull();
    expect(await plain.get(PluginManager).nodes()).toMatchObject([{ status: 'alive', self: true, plugins: [] }]);
  });
});
