import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Cluster } from '../../../lib/cluster/cluster.js';
import { CLUSTER } from '../../../lib/cluster/cluster.tokens.js';
import { PluginManager, PluginModule, PluginRegistry, PluginSchemaAheadError } from '../../../lib/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { PluginFiles } from '../runtime/plugin-files.js';
import { tallySource } from './tally-files.js';

describe('an upgrade made on another instance (cluster mode, one process, SQLite store)', () => {
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

  it('records the version in the desired state, and a reconcile runs the new file with its migrations', async () => {
    @Module({ imports: [TypeOrmModule.forRoot({ ...database.connection }), PluginModule.forRoot({ plugins: [], cluster: { nodeId: 'solo', pollIntervalMs: 60_000 } })] })
    class ClusterApp {}
    app = await NestFactory.createApplicationContext(ClusterApp, { logger: false });
    await app.init();
    const cluster = app.get<Cluster>(CLUSTER);
    const manager = app.get(PluginManager);
    const registry = app.get(PluginRegistry);
    const v1 = await files.writeRaw('tally-1.plugin.js', tallySource('1.0.0', ['a']));
    const v2 = await files.writeRaw('tally-2.plugin.js', tallySource('2.0.0', ['a', 'b']));

    await manager.load(v1);
    expect((await cluster.store.desiredState()).plugins).toEqual([expect.objectContaining({ name: 'tally', source: v1, loaded: true, version: '1.0.0' })]);

    // Another instance upgraded to v2 from its file: this one follows, from that file.
    await cluster.store.writeDesired([{ name: 'tally', loaded: true, source: v2, version: '2.0.0' }]);
    await manager.reconcile();
    expect(registry.call('tally', 'version' as never)).toBe('2.0.0');
    const columns: { name: string }[] = await app.get(DataSource).query(`SELECT "name" FROM pragma_table_info('tally_counts') ORDER BY "cid"`);
    expect(columns.map((column) => column.name)).toEqual(['id', 'a', 'b']);

    // Going back to v1's file is refused before v2 stops.
    await expect(manager.upgrade('tally', v1)).rejects.toBeInstanceOf(PluginSchemaAheadError);
    expect(registry.call('tally', 'version' as never)).toBe('2.0.0');
  });
});
