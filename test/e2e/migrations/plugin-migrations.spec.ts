import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginNotActiveError,
  PluginRegistry,
  PluginRevertError,
  PluginSchemaAheadError,
  PluginSchemaMissingError,
  PluginUpgradeError,
  SharedDataService,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../support/test-databases.js';
import { AnalyticsPlugin } from '../../../plugins/analytics/analytics.plugin.js';
import { CrmPlugin } from '../../../plugins/crm/crm.plugin.js';
import { UserUtilsPlugin } from '../../../plugins/user-utils/user-utils.plugin.js';
import { LegacyPlugin, NOTES_TABLE, NotesReader, NotesV1, NotesV2, NotesV3Broken, NotesV3InitFails } from './notes-versions.js';

/** The schema as the database's own catalogue describes it: the thing a rolled-back migration must leave as it was. */
async function catalogue(dataSource: DataSource, kind: DatabaseKind): Promise<unknown[]> {
  if (kind === 'sqlite') return dataSource.query(`SELECT "type", "name", "sql" FROM sqlite_master WHERE "name" NOT LIKE 'sqlite_%' ORDER BY "name"`);
  return dataSource.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, ordinal_position FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
}

async function ledger(dataSource: DataSource): Promise<{ plugin: string; name: string; plugin_version: string; checksum: string }[]> {
  return dataSource.query(`SELECT "plugin", "name", "plugin_version", "checksum", "ran_at" FROM "plugin_migrations" ORDER BY "plugin", "name"`);
}

describe.each(databaseKinds)('plugin migrations on %s', (kind) => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database.drop();
  });

  async function boot(plugins: Function[], synchronize = false): Promise<INestApplication> {
    const app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize }),
      // A boot that fails is never closed: its shared-data purge timer must not fire after this file's environment is gone.
      PluginModule.forRoot({ plugins: plugins as never, sharedData: { purgeIntervalMs: 2 ** 31 - 1 } }),
    ]);
    apps.push(app);
    return app;
  }

  async function bootError(plugins: Function[], synchronize = false): Promise<unknown> {
    return boot(plugins, synchronize).then(
      () => {
        throw new Error('boot succeeded');
      },
      (error: unknown) => error,
    );
  }

  it('runs a plugin’s migrations at boot, before it starts, and records each once in plugin_migrations', async () => {
    const app = await boot([NotesV1]);
    const registry = app.get(PluginRegistry);
    expect(await registry.call('notes', 'list')).toEqual([{ id: 1, title: 'seed' }]);
    const rows = await ledger(app.get(DataSource));
    expect(rows).toEqual([expect.objectContaining({ plugin: 'notes', name: 'CreateNotes1700000000000', plugin_version: '1.0.0' })]);
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    await app.close();
    apps.length = 0;

    // A second boot runs nothing: the seed row is not inserted again.
    const again = await boot([NotesV1]);
    expect(await again.get(PluginRegistry).call('notes', 'list')).toEqual([{ id: 1, title: 'seed' }]);
  });

  it('a boot whose migrations all ran reads the ledger with one query, however many plugins', async () => {
    await boot([UserUtilsPlugin, CrmPlugin, AnalyticsPlugin]);
    for (const app of apps.splice(0)) await app.close();
    const ledgerQueries: string[] = [];
    const logger = {
      logQuery: (query: string) => void (query.includes('plugin_migrations') && ledgerQueries.push(query)),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, logging: ['query'], logger }),
      PluginModule.forRoot({ plugins: [UserUtilsPlugin, CrmPlugin, AnalyticsPlugin] }),
    ]);
    apps.push(app);
    expect(ledgerQueries).toEqual(['SELECT "plugin", "name", "checksum" FROM "plugin_migrations"']);
  });

  it('upgrade keeps the data: v2 renames a column and adds a NOT NULL column with a default', async () => {
    const app = await boot([NotesV1]);
    const registry = app.get(PluginRegistry);
    await registry.call('notes', 'add', 'first');
    await registry.call('notes', 'add', 'second');
    const info = await app.get(PluginManager).upgrade('notes', NotesV2);
    expect(info).toMatchObject({ name: 'notes', version: '2.0.0', state: 'active' });
    expect(await registry.call('notes', 'list')).toEqual([
      { id: 1, heading: 'seed', priority: 0 },
      { id: 2, heading: 'first', priority: 0 },
      { id: 3, heading: 'second', priority: 0 },
    ]);
    expect((await ledger(app.get(DataSource))).map((row) => [row.name, row.plugin_version])).toEqual([
      ['CreateNotes1700000000000', '1.0.0'],
      ['RenameTitle1700000001000', '2.0.0'],
    ]);
  });

  it('during an upgrade, calls in flight finish on the old version and new calls fail at once with PluginNotActiveError', async () => {
    const app = await boot([NotesV1]);
    const registry = app.get(PluginRegistry);
    const inFlight = registry.call('notes', 'slow', 300);
    const upgrading = app.get(PluginManager).upgrade('notes', NotesV2);
    while (registry.list().find((plugin) => plugin.name === 'notes')?.state !== 'stopping') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(() => registry.call('notes', 'version')).toThrow(PluginNotActiveError);
    expect(await inFlight).toBe('v1 finished');
    await upgrading;
    expect(await registry.call('notes', 'version')).toBe('2.0.0');
  });

  it('a v3 migration failing halfway through its second statement: PluginUpgradeError, the schema as before, v2 serving, no row changed', async () => {
    const app = await boot([NotesV1]);
    const registry = app.get(PluginRegistry);
    const manager = app.get(PluginManager);
    const dataSource = app.get(DataSource);
    await registry.call('notes', 'add', 'first');
    await registry.call('notes', 'add', 'second');
    await manager.upgrade('notes', NotesV2);
    const schemaBefore = await catalogue(dataSource, kind);
    const rowsBefore = await dataSource.query(`SELECT * FROM "${NOTES_TABLE}" ORDER BY "id"`);

    const error = await manager.upgrade('notes', NotesV3Broken).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginUpgradeError);
    expect((error as Error).message).toMatch(/^Plugin "notes" could not be upgraded to 3\.0\.0: Plugin "notes" migration AddExtra1700000002000 failed \(up\): .+; 2\.0\.0 is running$/);
    expect(await catalogue(dataSource, kind)).toEqual(schemaBefore);
    expect(await dataSource.query(`SELECT * FROM "${NOTES_TABLE}" ORDER BY "id"`)).toEqual(rowsBefore);
    expect(await registry.call('notes', 'version')).toBe('2.0.0');
    expect(await registry.call('notes', 'list')).toHaveLength(3);
    expect((await ledger(dataSource)).map((row) => row.name)).toEqual(['CreateNotes1700000000000', 'RenameTitle1700000001000']);
  });

  it('a v3 whose onPluginInit fails: the migration it ran is undone by its down, and v2 runs again', async () => {
    const app = await boot([NotesV2]);
    const dataSource = app.get(DataSource);
    const schemaBefore = await catalogue(dataSource, kind);
    const error = await app.get(PluginManager).upgrade('notes', NotesV3InitFails).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginUpgradeError);
    expect((error as Error).message).toBe('Plugin "notes" could not be upgraded to 3.0.0: Plugin "notes" failed in onPluginInit: v3 cannot start; 2.0.0 is running');
    expect(await catalogue(dataSource, kind)).toEqual(schemaBefore);
    expect((await ledger(dataSource)).map((row) => row.name)).toEqual(['CreateNotes1700000000000', 'RenameTitle1700000001000']);
    expect(await app.get(PluginRegistry).call('notes', 'version')).toBe('2.0.0');
  });

  it('downgrade: v1 after v2 is refused with PluginSchemaAheadError; revert, then v1 runs and keeps the rows', async () => {
    const v2 = await boot([NotesV1]);
    await v2.get(PluginRegistry).call('notes', 'add', 'kept');
    await v2.get(PluginManager).upgrade('notes', NotesV2);
    await v2.close();
    apps.length = 0;

    const refused = await bootError([NotesV1]);
    expect(refused).toBeInstanceOf(PluginSchemaAheadError);
    expect((refused as Error).message).toBe(
      'Plugin "notes" 1.0.0 does not know the applied migrations RenameTitle1700000001000: the schema is ahead of this version ' +
        '(revert them with the version that has them: PluginManager.revert("notes", { to }))',
    );
    apps.length = 0;

    const app = await boot([NotesV2]);
    const manager = app.get(PluginManager);
    const registry = app.get(PluginRegistry);
    // Through upgrade too, refused before v2 stops.
    await expect(manager.upgrade('notes', NotesV1)).rejects.toBeInstanceOf(PluginSchemaAheadError);
    expect(await registry.call('notes', 'version')).toBe('2.0.0');
    await expect(manager.revert('notes', { to: 'Nope1' })).rejects.toThrow(
      'Cannot revert plugin "notes": migration "Nope1" is not applied (applied: CreateNotes1700000000000, RenameTitle1700000001000)',
    );
    await expect(manager.revert('notes', { to: 'Nope1' })).rejects.toBeInstanceOf(PluginRevertError);
    expect(await registry.call('notes', 'version')).toBe('2.0.0');

    expect(await manager.revert('notes', { to: 'CreateNotes1700000000000' })).toEqual(['RenameTitle1700000001000']);
    expect(() => registry.call('notes', 'version')).toThrow('Plugin "notes" is not active');
    await manager.load(NotesV1);
    expect(await registry.call('notes', 'list')).toEqual([
      { id: 1, title: 'seed' },
      { id: 2, title: 'kept' },
    ]);
    expect((await ledger(app.get(DataSource))).map((row) => row.name)).toEqual(['CreateNotes1700000000000']);
  });

  it('revert is refused while active plugins require the plugin, and changes nothing', async () => {
    const app = await boot([NotesV2, NotesReader]);
    await expect(app.get(PluginManager).revert('notes', { to: 'CreateNotes1700000000000' })).rejects.toThrow(
      new PluginRevertError('notes', 'required by notes-reader (unload them first)'),
    );
    expect(await app.get(PluginRegistry).call('notes', 'version')).toBe('2.0.0');
    expect((await ledger(app.get(DataSource))).map((row) => row.name)).toEqual(['CreateNotes1700000000000', 'RenameTitle1700000001000']);
  });

  it('the sample’s plugins run on their migrations, without synchronize', async () => {
    const app = await boot([UserUtilsPlugin, CrmPlugin, AnalyticsPlugin]);
    const registry = app.get(PluginRegistry);
    expect(await registry.call('user-utils', 'addScore', 'ada', 5)).toBe(5);
    expect(await registry.call('user-utils', 'addScore', 'ada', 2)).toBe(7);
    const contact = (await registry.call('crm', 'addContact', 'Ada', 'ada@example.com')) as { id: number };
    expect(await registry.call('crm', 'addDeal', contact.id, 'Engine', 1250)).toMatchObject({ stage: 'open', amount: 1250 });
    expect(await registry.call('analytics', 'pipelineReport')).toMatchObject({ contacts: 1, runs: 1 });
    expect((await ledger(app.get(DataSource))).map((row) => [row.plugin, row.name])).toEqual([
      ['analytics', 'CreateReportRuns1765000000000'],
      ['crm', 'CreateContactsAndDeals1765000000000'],
      ['user-utils', 'CreateUserScores1765000000000'],
    ]);
  });

  it('creates the library’s own tables itself when the DataSource does not synchronize (shared data)', async () => {
    const app = await boot([NotesV1]);
    const sharedData = app.get(SharedDataService);
    await sharedData.set('flags', 'dark-mode', true, { ownerId: 'notes' });
    expect(await sharedData.get('flags', 'dark-mode')).toBe(true);
  });

  it('entities without migrations on a DataSource that does not synchronize: PluginSchemaMissingError; with synchronize it works', async () => {
    const error = await bootError([LegacyPlugin]);
    expect(error).toBeInstanceOf(PluginSchemaMissingError);
    expect((error as Error).message).toBe('Plugin "legacy" has entities but no migrations, and the DataSource does not synchronize');
    apps.length = 0;
    const app = await boot([NotesV1]);
    const loadError = await app.get(PluginManager).load(LegacyPlugin).catch((caught: unknown) => caught);
    expect(loadError).toBeInstanceOf(PluginLoadError);
    expect((loadError as Error).cause).toBeInstanceOf(PluginSchemaMissingError);
    await app.close();
    apps.length = 0;
    await expect(boot([LegacyPlugin], true)).resolves.toBeDefined();
  });
});

if (databaseKinds.includes('postgres')) {
  describe('plugin migrations with three instances on postgres', () => {
    let database: TestDatabase;
    const apps: INestApplication[] = [];

    beforeEach(async () => {
      database = await createTestDatabase('postgres');
    });
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
      await database.drop();
    });

    it('three instances booting v2 at once: each migration runs once, and all three run v2', async () => {
      const booted = await Promise.all(
        [0, 1, 2].map(() => bootApp([TypeOrmModule.forRoot({ ...database.connection, synchronize: false }), PluginModule.forRoot({ plugins: [NotesV2] })])),
      );
      apps.push(...booted);
      const rows = await ledger(booted[0]!.get(DataSource));
      expect(rows.map((row) => row.name)).toEqual(['CreateNotes1700000000000', 'RenameTitle1700000001000']);
      // The seed row the first migration inserts exists once.
      for (const app of booted) {
        expect(await app.get(PluginRegistry).call('notes', 'version')).toBe('2.0.0');
        expect(await app.get(PluginRegistry).call('notes', 'list')).toEqual([{ id: 1, heading: 'seed', priority: 0 }]);
      }
    });

    it('three instances upgrading v1 to v2 at once: the migration runs once, and all three run v2', async () => {
      const booted = await Promise.all(
        [0, 1, 2].map(() => bootApp([TypeOrmModule.forRoot({ ...database.connection, synchronize: false }), PluginModule.forRoot({ plugins: [NotesV1] })])),
      );
      apps.push(...booted);
      await Promise.all(booted.map((app) => app.get(PluginManager).upgrade('notes', NotesV2)));
      expect((await ledger(booted[0]!.get(DataSource))).map((row) => row.name)).toEqual(['CreateNotes1700000000000', 'RenameTitle1700000001000']);
      for (const app of booted) expect(await app.get(PluginRegistry).call('notes', 'list')).toEqual([{ id: 1, heading: 'seed', priority: 0 }]);
    });
  });
} else {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('three instances booting v2 at once', () => undefined);
  });
}
