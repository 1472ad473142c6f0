import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import {
  InvalidPluginMetadataError,
  InvalidResourceOverridesError,
  Plugin,
  PluginManager,
  PluginModule,
  PluginRegistry,
  type PluginContext,
  type ResourceOverrides,
} from 'nestjs-plugins';
import { bootApp } from '../../support/boot-app.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../../support/test-databases.js';

/**
 * PostgreSQL keeps 63 bytes of a name: the two plugins of the report, `x…x-evil` with table
 * `loot` and `x…x-bank` with table `secrets`, would share one real table. The bank's table is
 * the 63-byte name `x…x` (mapped by the host); every name the engine would cut is refused at
 * registration, on every database, and the bank's canary row stays as it was.
 */
const PREFIX = 'x'.repeat(63);
const EVIL = `${PREFIX}-evil`;
const BANK = `${PREFIX}-bank`;
const CANARY = 'bank canary';

/** No serial id: `<63-byte table>_id_seq` would be refused as well. */
@Entity('secrets')
class Secret {
  @PrimaryColumn('int') id!: number;
  @Column('varchar') body!: string;
}

/** What the impostor saw and did, if it ever ran. */
const attempts: unknown[] = [];

@Plugin({ name: EVIL, version: '1.0.0', allowedTables: ['loot'] })
class EvilPlugin {
  async onPluginInit(ctx: PluginContext): Promise<void> {
    attempts.push(await ctx.database.executeQuery(`SELECT * FROM loot`));
    attempts.push(await ctx.database.executeQuery(`DELETE FROM loot`));
  }
}

@Plugin({ name: BANK, version: '1.0.0', entities: [Secret], allowedTables: ['secrets'] })
class BankPlugin {}

@Entity('ledger')
class LongIndexEntry {
  @PrimaryGeneratedColumn() id!: number;
  @Index('i'.repeat(64))
  @Column('varchar')
  body!: string;
}

@Plugin({ name: 'indexer', version: '1.0.0', entities: [LongIndexEntry], allowedTables: ['ledger'] })
class IndexerPlugin {}

@Entity('s'.repeat(50))
class LongSerialRow {
  @PrimaryGeneratedColumn() id!: number;
}

@Plugin({ name: 'serial', version: '1.0.0', entities: [LongSerialRow], allowedTables: ['s'.repeat(50)] })
class SerialPlugin {}

const BANK_OVERRIDES: Record<string, ResourceOverrides> = { [BANK]: { tableNameMap: { secrets: PREFIX } } };

describe.each(databaseKinds)('red team: names the engine would truncate, on %s', (kind) => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let manager: PluginManager;
  let registry: PluginRegistry;

  const bankRows = () => dataSource.query(`SELECT body FROM "${PREFIX}"`);
  const tableNames = async (): Promise<string[]> => {
    const sql =
      kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'x%' ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'x%' ORDER BY table_name`;
    return ((await dataSource.query(sql)) as { name: string }[]).map((row) => row.name);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, entities: [], synchronize: true, poolSize: 2 } as never),
      PluginModule.forRoot({ plugins: [BankPlugin], overrides: BANK_OVERRIDES }),
    ]);
    dataSource = app.get(DataSource);
    manager = app.get(PluginManager);
    registry = app.get(PluginRegistry);
    await dataSource.query(`INSERT INTO "${PREFIX}" (id, body) VALUES (1, '${CANARY}')`);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
  afterEach(() => {
    attempts.length = 0;
  });

  it('refuses the impostor at runtime load, naming the plugin and the whole real name; the bank’s row is untouched', async () => {
    const loading = manager.load(EvilPlugin);
    await expect(loading).rejects.toThrow(`Invalid metadata for plugin "${EVIL}": table "loot" is 73 bytes as "${EVIL}_loot"; PostgreSQL allows 63`);
    await expect(loading.catch((error: Error) => error.cause)).resolves.toBeInstanceOf(InvalidPluginMetadataError);
    expect(attempts).toEqual([]);
    expect(await bankRows()).toEqual([{ body: CANARY }]);
    expect(await tableNames()).toEqual([PREFIX]);
    expect(registry.list().map((plugin) => plugin.name)).toEqual([BANK]);
  });

  it('refuses the pair as the report had them at boot: the bank’s own prefixed table is too long too', async () => {
    const other = await createTestDatabase(kind);
    try {
      const booting = bootApp([
        TypeOrmModule.forRoot({ ...other.connection, entities: [], synchronize: true, poolSize: 2 } as never),
        PluginModule.forRoot({ plugins: [BankPlugin, EvilPlugin] }),
      ]);
      await expect(booting).rejects.toThrow(InvalidPluginMetadataError);
      await expect(booting).rejects.toThrow(`Invalid metadata for plugin "${BANK}": table "secrets" is 76 bytes as "${BANK}_secrets"; PostgreSQL allows 63`);
      expect(attempts).toEqual([]);
    } finally {
      await other.drop();
    }
  });

  it('refuses overrides that would map the impostor onto the bank’s table name cut short, on load and later', async () => {
    const long = { tableNameMap: { loot: `${PREFIX}-loot` } };
    await expect(manager.load(EvilPlugin, long)).rejects.toThrow(InvalidResourceOverridesError);
    await expect(manager.load(EvilPlugin, long)).rejects.toThrow(
      `Invalid resource overrides for plugin "${EVIL}": table "loot" is 68 bytes as "${PREFIX}-loot"; PostgreSQL allows 63`,
    );
    expect(() => manager.setResourceOverrides(BANK, {})).toThrow(
      `Invalid resource overrides for plugin "${BANK}": table "secrets" is 76 bytes as "${BANK}_secrets"; PostgreSQL allows 63`,
    );
    expect(() => manager.setResourceOverrides(BANK, { tableNameMap: { secrets: `${PREFIX}y` } })).toThrow(InvalidResourceOverridesError);
    expect(attempts).toEqual([]);
    expect(await bankRows()).toEqual([{ body: CANARY }]);
  });

  it('refuses forRoot overrides with a mapped name longer than 63 bytes', async () => {
    const booting = bootApp([PluginModule.forRoot({ plugins: [], overrides: { [BANK]: { tableNameMap: { secrets: `${PREFIX}y` } } } })]);
    await expect(booting).rejects.toThrow(InvalidResourceOverridesError);
  });

  it('refuses a serial column whose derived sequence name is longer than 63 bytes', async () => {
    await expect(manager.load(SerialPlugin)).rejects.toThrow(
      `Invalid metadata for plugin "serial": sequence of column LongSerialRow.id is 64 bytes as "serial_${'s'.repeat(50)}_id_seq"; PostgreSQL allows 63`,
    );
    expect(registry.list().map((plugin) => plugin.name)).toEqual([BANK]);
  });

  it('refuses an explicit index name longer than 63 bytes before any table is created', async () => {
    await expect(manager.load(IndexerPlugin)).rejects.toThrow(
      `Invalid metadata for plugin "indexer": index of entity LongIndexEntry is 64 bytes as "${'i'.repeat(64)}"; PostgreSQL allows 63`,
    );
    const ledger =
      kind === 'sqlite'
        ? await dataSource.query(`SELECT name FROM sqlite_master WHERE name = 'indexer_ledger'`)
        : await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_name = 'indexer_ledger'`);
    expect(ledger).toEqual([]);
    expect(registry.list().map((plugin) => plugin.name)).toEqual([BANK]);
  });
});
