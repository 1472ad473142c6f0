import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn, Repository } from 'typeorm';
import {
  InjectPluginContext,
  InjectPluginRepository,
  Plugin,
  PluginDatabaseUnavailableError,
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginRegistry,
  TableAccessDeniedError,
  type PluginContext,
  type PluginModuleOptions,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type TestDatabase } from '../../support/test-databases.js';

@Entity('scores')
class KeeperScore {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') player!: string;
  @Column('integer', { default: 0 }) points!: number;
}

/** Same `@Entity` name as KeeperScore, owned by another plugin: the prefixes keep them apart. */
@Entity('scores')
class RivalScore {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') player!: string;
}

/** The application's own entity, which no plugin may reach. */
@Entity('accounts')
class Account {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') owner!: string;
}

@Injectable()
class ScoreBook {
  constructor(@InjectPluginRepository(KeeperScore) readonly scores: Repository<KeeperScore>) {}
}

@Plugin({
  name: 'score-keeper',
  version: '1.0.0',
  entities: [KeeperScore],
  allowedTables: ['scores', 'ledger'],
  providers: [ScoreBook],
})
class ScoreKeeperPlugin {
  constructor(
    readonly book: ScoreBook,
    @InjectPluginContext() readonly ctx: PluginContext,
  ) {}
}

@Plugin({ name: 'rival-keeper', version: '1.0.0', entities: [RivalScore], allowedTables: ['scores', 'ledger'] })
class RivalKeeperPlugin {
  constructor(
    @InjectPluginRepository(RivalScore) readonly scores: Repository<RivalScore>,
    @InjectPluginContext() readonly ctx: PluginContext,
  ) {}
}

@Entity('vault')
class VaultRow {
  @PrimaryGeneratedColumn() id!: number;
}

@Plugin({ name: 'vault-peeker', version: '1.0.0', entities: [VaultRow], allowedTables: ['scores'] })
class VaultPeekerPlugin {}

/** Its table's name is taken by a view the test creates: synchronizing fails after the metadata is built. */
@Entity('broken')
class BrokenRow {
  @PrimaryGeneratedColumn() id!: number;
}

@Plugin({ name: 'broken-tables', version: '1.0.0', entities: [BrokenRow], allowedTables: ['broken'] })
class BrokenTablesPlugin {}

@Plugin({ name: 'raw-only', version: '1.0.0', allowedTables: ['ledger'] })
class RawOnlyPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Entity('labels')
class Label {
  @PrimaryGeneratedColumn() id!: number;
}

@Entity('cards')
class Card {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Label)
  @JoinTable({ name: 'card_labels' })
  labels!: Label[];
}

@Plugin({ name: 'card-box', version: '1.0.0', entities: [Card, Label], allowedTables: ['cards', 'labels', 'card_labels'] })
class CardBoxPlugin {
  constructor(@InjectPluginRepository(Card) readonly cards: Repository<Card>) {}
}

/** Names the application's own table as its junction table. */
@Entity('cards')
class ThiefCard {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToMany(() => Label)
  @JoinTable({ name: 'accounts' })
  labels!: Label[];
}

@Plugin({ name: 'junction-thief', version: '1.0.0', entities: [ThiefCard, Label], allowedTables: ['cards', 'labels'] })
class JunctionThiefPlugin {}

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'postgres'
      ? await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`)
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  return rows.map((row) => row.name).sort();
}

/** The ledger table two plugins share through a name map; created by the host. */
async function createLedger(dataSource: DataSource, table: string): Promise<void> {
  const id = dataSource.options.type === 'postgres' ? 'id SERIAL PRIMARY KEY' : 'id INTEGER PRIMARY KEY AUTOINCREMENT';
  await dataSource.query(`CREATE TABLE "${table}" (${id}, entry VARCHAR(100) NOT NULL)`);
}

describe.each(databaseKinds)('plugin tables on %s', (kind) => {
  let database: TestDatabase;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database.drop();
  });

  async function boot(plugins: Function[], options: PluginModuleOptions = {}): Promise<INestApplication> {
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, entities: [Account], synchronize: true }),
      PluginModule.forRoot({ plugins: plugins as never[], ...options }),
    ]);
    return app;
  }

  it('registers each plugin entity under its prefixed table, so two plugins may both own "scores"', async () => {
    const started = await boot([ScoreKeeperPlugin, RivalKeeperPlugin]);
    const dataSource = started.get(DataSource);
    expect(await tableNames(dataSource)).toEqual(expect.arrayContaining(['accounts', 'rival-keeper_scores', 'score-keeper_scores']));

    const keeper = started.get(ScoreKeeperPlugin);
    expect(keeper.book.scores).toBeInstanceOf(Repository);
    await keeper.book.scores.save({ player: 'ada', points: 7 });
    await started.get(RivalKeeperPlugin).scores.save({ player: 'bob' });

    const keeperRows = await dataSource.query(`SELECT player, points FROM "score-keeper_scores"`);
    expect(keeperRows).toEqual([{ player: 'ada', points: 7 }]);
    const rivalRows = await dataSource.query(`SELECT player FROM "rival-keeper_scores"`);
    expect(rivalRows).toEqual([{ player: 'bob' }]);
  });

  it('gives ctx.database.getRepository the same repository, and refuses entities that are not the plugin own', async () => {
    const started = await boot([ScoreKeeperPlugin]);
    const keeper = started.get(ScoreKeeperPlugin);
    const repository = keeper.ctx.database.getRepository(KeeperScore);
    await repository.save({ player: 'cy', points: 3 });
    expect(await keeper.book.scores.findOneBy({ player: 'cy' })).toMatchObject({ points: 3 });

    expect(() => keeper.ctx.database.getRepository(Account)).toThrow(TableAccessDeniedError);
    expect(() => keeper.ctx.database.getRepository(Account)).toThrow('Plugin "score-keeper" may not access table "accounts" (allowed: scores, ledger)');
  });

  it('names a junction table like the plugin\'s other tables, and refuses one that is not allowed', async () => {
    const started = await boot([CardBoxPlugin]);
    await started.get(CardBoxPlugin).cards.save({ labels: [] });
    const tables = await tableNames(started.get(DataSource));
    expect(tables).toEqual(expect.arrayContaining(['card-box_card_labels']));
    expect(tables).not.toContain('card_labels');
    await started.close();
    app = undefined;
    const booting = boot([JunctionThiefPlugin]);
    await expect(booting).rejects.toThrow('Plugin "junction-thief" may not access table "accounts" (allowed: cards, labels)');
  });

  it('fails registration of an entity whose table is not allowed', async () => {
    const booting = boot([VaultPeekerPlugin]);
    await expect(booting).rejects.toThrow(TableAccessDeniedError);
    await expect(booting).rejects.toThrow('Plugin "vault-peeker" may not access table "vault" (allowed: scores)');
  });

  it('runs raw SQL on allowed tables under their real names, with bound parameters', async () => {
    const started = await boot([ScoreKeeperPlugin]);
    const keeper = started.get(ScoreKeeperPlugin);
    const placeholder = kind === 'postgres' ? '$1' : '?';
    await keeper.book.scores.save([{ player: 'ada', points: 5 }, { player: 'bob', points: 9 }]);

    const rows = await keeper.ctx.database.executeQuery(`SELECT player FROM scores WHERE points > ${placeholder} ORDER BY player`, [6]);
    expect(rows).toEqual([{ player: 'bob' }]);

    await expect(keeper.ctx.database.executeQuery('SELECT * FROM accounts')).rejects.toThrow(
      'Plugin "score-keeper" may not access table "accounts" (allowed: scores, ledger)',
    );
    await expect(keeper.ctx.database.executeQuery('SELECT * FROM "rival-keeper_scores"')).rejects.toThrow(TableAccessDeniedError);
  });

  it('maps a table both plugins allow to one shared table, and each plugin reaches it by its own name', async () => {
    const started = await boot([ScoreKeeperPlugin, RivalKeeperPlugin, RawOnlyPlugin], {
      overrides: {
        'score-keeper': { tableNameMap: { ledger: 'shared_ledger' } },
        'rival-keeper': { tableNameMap: { ledger: 'shared_ledger' } },
      },
    });
    const dataSource = started.get(DataSource);
    await createLedger(dataSource, 'shared_ledger');
    await createLedger(dataSource, 'raw-only_ledger');
    const placeholder = kind === 'postgres' ? '$1' : '?';

    await started.get(ScoreKeeperPlugin).ctx.database.executeQuery(`INSERT INTO ledger (entry) VALUES (${placeholder})`, ['from keeper']);
    const seenByRival = await started.get(RivalKeeperPlugin).ctx.database.executeQuery('SELECT entry FROM ledger');
    expect(seenByRival).toEqual([{ entry: 'from keeper' }]);
    // Without a map, the same name is the plugin's own prefixed table.
    expect(await started.get(RawOnlyPlugin).ctx.database.executeQuery('SELECT entry FROM ledger')).toEqual([]);
  });

  it('applies a table name map to entities, verbatim', async () => {
    const started = await boot([ScoreKeeperPlugin], { overrides: { 'score-keeper': { tableNameMap: { scores: 'keeper_scores_v2' } } } });
    await started.get(ScoreKeeperPlugin).book.scores.save({ player: 'dee', points: 1 });
    expect(await tableNames(started.get(DataSource))).toContain('keeper_scores_v2');
    expect(await tableNames(started.get(DataSource))).not.toContain('score-keeper_scores');
  });

  it('uses overrides set at runtime from the plugin next query', async () => {
    const started = await boot([RawOnlyPlugin]);
    const dataSource = started.get(DataSource);
    await createLedger(dataSource, 'raw-only_ledger');
    await createLedger(dataSource, 'audit_ledger');
    await dataSource.query(`INSERT INTO "audit_ledger" (entry) VALUES ('audited')`);
    const { ctx } = started.get(RawOnlyPlugin);
    const manager = started.get(PluginManager);

    manager.setResourceOverrides('raw-only', { tableNameMap: { ledger: 'audit_ledger' } });
    expect(await ctx.database.executeQuery('SELECT entry FROM ledger')).toEqual([{ entry: 'audited' }]);

    manager.setResourceOverrides('raw-only', { allowedTables: ['journal'] });
    await expect(ctx.database.executeQuery('SELECT entry FROM ledger')).rejects.toThrow(
      'Plugin "raw-only" may not access table "ledger" (allowed: journal)',
    );
  });

  it('registers entities of a plugin loaded at runtime with load overrides, and forgets them on unload', async () => {
    const started = await boot([]);
    const dataSource = started.get(DataSource);
    const manager = started.get(PluginManager);

    await manager.load(ScoreKeeperPlugin, { allowedTables: ['scores'], tableNameMap: { scores: 'runtime_scores' } });
    expect(await tableNames(dataSource)).toContain('runtime_scores');
    expect(started.get(PluginRegistry).isActive('score-keeper')).toBe(true);
    expect(dataSource.entityMetadatas.map((metadata) => metadata.tableName)).toContain('runtime_scores');

    await manager.unload('score-keeper');
    expect(dataSource.entityMetadatas.map((metadata) => metadata.tableName)).not.toContain('runtime_scores');
    // Loading again registers the entity again (the rows stay in the table).
    await manager.load(ScoreKeeperPlugin, { allowedTables: ['scores'], tableNameMap: { scores: 'runtime_scores' } });
    expect(dataSource.entityMetadatas.filter((metadata) => metadata.tableName === 'runtime_scores')).toHaveLength(1);
  });

  it('leaves nothing behind when a runtime load fails on a table that is not allowed', async () => {
    const started = await boot([]);
    const dataSource = started.get(DataSource);
    const manager = started.get(PluginManager);
    const metadataBefore = dataSource.entityMetadatas.length;

    const loading = manager.load(ScoreKeeperPlugin, { allowedTables: ['ledger'] });
    await expect(loading).rejects.toThrow(PluginLoadError);
    await expect(loading).rejects.toThrow('Plugin "score-keeper" may not access table "scores" (allowed: ledger)');
    expect(dataSource.entityMetadatas).toHaveLength(metadataBefore);
    expect(started.get(PluginRegistry).has('score-keeper')).toBe(false);

    // A table that cannot be created takes its metadata out again.
    await dataSource.query(`CREATE VIEW "broken-tables_broken" AS SELECT 1 AS id`);
    await expect(manager.load(BrokenTablesPlugin)).rejects.toThrow(PluginLoadError);
    expect(dataSource.entityMetadatas).toHaveLength(metadataBefore);

    // The failed load's overrides are gone: the declared lists apply again.
    await manager.load(ScoreKeeperPlugin);
    expect(await tableNames(dataSource)).toContain('score-keeper_scores');
  });
});

if (!databaseKinds.includes('postgres')) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs the plugin table suite on PostgreSQL', () => undefined);
  });
}

describe('plugin tables without a DataSource', () => {
  let app: INestApplication | undefined;
  afterEach(() => app?.close());

  it('says the application needs TypeORM when a plugin uses ctx.database', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [RawOnlyPlugin] })]);
    const { ctx } = app.get(RawOnlyPlugin);
    await expect(ctx.database.executeQuery('SELECT * FROM ledger')).rejects.toThrow(PluginDatabaseUnavailableError);
    await expect(ctx.database.executeQuery('SELECT * FROM ledger')).rejects.toThrow(
      'Plugin "raw-only" uses tables, but the application has no TypeORM DataSource: import TypeOrmModule.forRoot(...) from @nestjs/typeorm',
    );
  });

  it('fails the boot of a plugin with entities', async () => {
    await expect(bootApp([PluginModule.forRoot({ plugins: [ScoreKeeperPlugin] })])).rejects.toThrow(PluginDatabaseUnavailableError);
  });
});
