import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  LocalDirectoryStorageDriver,
  Plugin,
  PluginHasDependentsError,
  PluginManager,
  PluginModule,
  PluginNotActiveError,
  PluginPurgeError,
  PluginRegistry,
  type OnPluginInit,
  type PluginContext,
  type TopicDeclaration,
  type TopicTransport,
} from 'nestjs-plugins';
import { NatsTopicTransport } from 'nestjs-plugins/nats';
import { pluginRoleName } from '../../../lib/resources/engines/postgres/plugin-role-name.js';
import { streamNameOf } from '../../../lib/resources/topics/jetstream-names.js';
import { bootApp } from '../support/boot-app.js';
import { startNatsServer } from '../../support/nats-server.js';
import { POSTGRES_SKIPPED, PG_URL, createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../support/test-databases.js';

// Decided before `describe`: without a NATS server the plugins declare no durable topic, and that half says it skipped.
const nats = await startNatsServer({ jetstream: true });
const NATS_SKIPPED = 'durable-topic streams not checked: no NATS_URL and no nats-server binary (.ci/run installs it)';
if (!PG_URL) it(POSTGRES_SKIPPED, () => undefined);
if (nats === undefined) it(NATS_SKIPPED, () => undefined);
afterAll(() => nats?.stop());

@Entity('note')
class NotesNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') text!: string;
}

@Entity('note')
class OtherNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') text!: string;
}

/** Writes one of everything purge must remove: a row, raw SQL (the PostgreSQL role), shared data, an object, a durable message and subscription. */
async function writeEverything(ctx: PluginContext, entity: Function): Promise<void> {
  await ctx.database.getRepository(entity).save({ text: `${ctx.plugin.name} row` });
  await ctx.database.executeQuery('SELECT count(*) AS n FROM note');
  await ctx.sharedData.set('settings', ctx.plugin.name, { theme: 'dark' });
  await ctx.buckets.upload('docs/a.txt', 'hello', 'text/plain', 'files');
  if (nats !== undefined) {
    await ctx.topics.subscribe('inbox', () => undefined);
    await ctx.topics.send('events', [{ value: 1 }]);
  }
}

const topics = (inbox: string): TopicDeclaration[] =>
  nats === undefined
    ? []
    : [
        { name: 'events', durable: true },
        { name: inbox, durable: true },
      ];

/** Each plugin's one migration: on PostgreSQL it makes a sequence of its own (purge must remove it too); its row is in the ledger. */
const counterMigration = (plugin: string): Type<MigrationInterface> =>
  ({
    [`Create${plugin}1700000000000`]: class implements MigrationInterface {
      async up(runner: QueryRunner): Promise<void> {
        if (runner.connection.options.type === 'postgres') await runner.query(`CREATE SEQUENCE "${plugin}_counter"`);
      }
      async down(runner: QueryRunner): Promise<void> {
        if (runner.connection.options.type === 'postgres') await runner.query(`DROP SEQUENCE "${plugin}_counter"`);
      }
    },
  })[`Create${plugin}1700000000000`]!;

@Plugin({ name: 'notes', version: '1.0.0', migrations: [counterMigration('notes')], entities: [NotesNote], allowedTables: ['note'], allowedBuckets: ['files'], allowedTopics: topics('inbox') })
class NotesPlugin implements OnPluginInit {
  async onPluginInit(ctx: PluginContext): Promise<void> {
    await writeEverything(ctx, NotesNote);
  }
}

@Plugin({ name: 'other', version: '1.0.0', migrations: [counterMigration('other')], entities: [OtherNote], allowedTables: ['note'], allowedBuckets: ['files'], allowedTopics: topics('inbox') })
class OtherPlugin implements OnPluginInit {
  async onPluginInit(ctx: PluginContext): Promise<void> {
    await writeEverything(ctx, OtherNote);
  }
}

@Plugin({ name: 'notes-reader', version: '1.0.0', dependencies: ['notes'] })
class NotesReaderPlugin {}

/** What one plugin has in the database, the storage and NATS. */
interface Footprint {
  tables: string[];
  sequences: string[];
  role: boolean;
  migrationRows: number;
  sharedDataRows: number;
  objects: string[];
  stream: boolean;
  consumerOnOthersStream: boolean;
}

describe.each(databaseKinds)('uninstall on %s', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let manager: PluginManager;
  let registry: PluginRegistry;
  let bucketsRoot: string;
  let connection: NatsConnection | undefined;
  let jsm: JetStreamManager | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    bucketsRoot = await mkdtemp(join(tmpdir(), 'np-purge-buckets-'));
    let topicTransport: TopicTransport | undefined;
    if (nats !== undefined) {
      connection = await connect({ servers: nats.url });
      jsm = await connection.jetstreamManager();
      topicTransport = new NatsTopicTransport(connection);
    }
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({
        plugins: [NotesPlugin, OtherPlugin, NotesReaderPlugin],
        storageDriver: new LocalDirectoryStorageDriver(bucketsRoot),
        ...(topicTransport === undefined ? {} : { topicTransport }),
        // Each subscribes to the other's events: purging one removes its subscriber group from the other's stream, not the stream.
        overrides: { notes: { topicNameMap: { inbox: 'other_events' } }, other: { topicNameMap: { inbox: 'notes_events' } } },
      }),
    ]);
    dataSource = app.get(DataSource);
    manager = app.get(PluginManager);
    registry = app.get(PluginRegistry);
  });

  afterAll(async () => {
    await app?.close();
    if (jsm !== undefined) for (const topic of ['notes_events', 'other_events']) await jsm.streams.delete(streamNameOf(topic)).catch(() => undefined);
    await connection?.close();
    await database?.drop();
    await rm(bucketsRoot, { recursive: true, force: true });
  });

  async function footprint(plugin: string, othersTopic: string): Promise<Footprint> {
    const prefix = `${plugin}\\_%`;
    const relations = async (kinds: string) =>
      kind === 'postgres'
        ? ((await dataSource.query(`SELECT relname AS name FROM pg_class WHERE relkind IN (${kinds}) AND relname LIKE $1 ESCAPE '\\' ORDER BY 1`, [prefix])) as { name: string }[])
        : ((await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\' ORDER BY 1`, [prefix])) as { name: string }[]);
    const count = async (sql: string) => Number(((await dataSource.query(sql.replace('?', kind === 'postgres' ? '$1' : '?'), [plugin])) as { n: number }[])[0]!.n);
    let role = false;
    if (kind === 'postgres') {
      const [{ db }] = (await dataSource.query('SELECT current_database() AS db')) as [{ db: string }];
      role = ((await dataSource.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [pluginRoleName(db, plugin)])) as unknown[]).length === 1;
    }
    const files = await readdir(join(bucketsRoot, `${plugin}_files`), { recursive: true, withFileTypes: true }).catch(() => []);
    return {
      tables: (await relations(`'r'`)).map((row) => row.name),
      sequences: kind === 'postgres' ? (await relations(`'S'`)).map((row) => row.name) : [],
      role,
      migrationRows: await count('SELECT count(*) AS n FROM "plugin_migrations" WHERE "plugin" = ?'),
      sharedDataRows: await count('SELECT count(*) AS n FROM "plugin_shared_data" WHERE "owner_id" = ?'),
      objects: files.filter((file) => file.isFile()).map((file) => file.name),
      stream: jsm === undefined ? false : await jsm.streams.info(streamNameOf(`${plugin}_events`)).then(() => true, () => false),
      consumerOnOthersStream: jsm === undefined ? false : await jsm.consumers.info(streamNameOf(othersTopic), plugin).then(() => true, () => false),
    };
  }

  const full = (plugin: string): Footprint => ({
    tables: [`${plugin}_note`],
    sequences: kind === 'postgres' ? [`${plugin}_counter`, `${plugin}_note_id_seq`] : [],
    role: kind === 'postgres',
    migrationRows: 1,
    sharedDataRows: 1,
    objects: ['a.txt'],
    stream: nats !== undefined,
    consumerOnOthersStream: nats !== undefined,
  });

  it('refuses while an active plugin requires it, removing nothing', async () => {
    const error = await manager.uninstall('notes', { purge: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginHasDependentsError);
    expect((error as Error).message).toBe('Cannot unload "notes": required by notes-reader');
    expect(registry.has('notes')).toBe(true);
    expect(await footprint('notes', 'other_events')).toEqual(full('notes'));
    await manager.unload('notes-reader');
  });

  it('refuses an unknown plugin with the not-found error', async () => {
    await expect(manager.uninstall('nope', { purge: true })).rejects.toThrow(PluginNotActiveError);
    await expect(manager.uninstall('nope')).rejects.toThrow('Plugin "nope" is not active');
  });

  it('without purge only unloads: every table, sequence, role, row, object and stream remains', async () => {
    await expect(manager.uninstall('notes')).resolves.toEqual({ name: 'notes' });
    expect(registry.has('notes')).toBe(false);
    expect(await footprint('notes', 'other_events')).toEqual(full('notes'));
    // Nothing is pending for it: a later purge of the unloaded plugin is the not-found error, as for any unknown name.
    await expect(manager.uninstall('notes', { purge: true })).rejects.toThrow(PluginNotActiveError);
  });

  it('with purge removes all of the plugin and nothing of another; a failure part-way is finished by calling it again', async () => {
    await manager.load(NotesPlugin);
    // A host table pointing into the plugin's: the database part of the purge is refused and rolled back whole.
    await dataSource.query('CREATE TABLE "host_refs" ("note_id" integer REFERENCES "notes_note" ("id"))');
    await dataSource.query('INSERT INTO "host_refs" VALUES (1)');

    const failure = await manager.uninstall('notes', { purge: true }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(PluginPurgeError);
    expect((failure as Error).message).toMatch(
      /^Plugin "notes" was unloaded, but its data could not be purged \(database objects: .+\); call uninstall\("notes", \{ purge: true \}\) again to finish$/,
    );
    expect(registry.has('notes')).toBe(false);
    const halfway = await footprint('notes', 'other_events');
    // Objects and streams go first; the database, in one transaction, is as it was.
    expect(halfway).toMatchObject({ tables: ['notes_note'], role: kind === 'postgres', migrationRows: 1, sharedDataRows: 1 });
    expect(halfway).toMatchObject({ objects: [], stream: false, consumerOnOthersStream: false });
    expect(halfway.sequences).toEqual(full('notes').sequences);

    await dataSource.query('DROP TABLE "host_refs"');
    const { purged } = await manager.uninstall('notes', { purge: true });
    expect(purged).toMatchObject({
      tables: ['notes_note'],
      sequences: kind === 'postgres' ? ['notes_counter'] : [],
      migrationRows: 1,
      sharedDataRows: 1,
      // The first call removed those; the mapped topic is the other plugin's: its stream stays.
      bucketObjects: 0,
      streams: [],
      subscriptions: [],
      kept: nats === undefined ? [] : ['topic "inbox" (as "other_events")'],
    });
    expect(purged!.role !== undefined).toBe(kind === 'postgres');
    expect(await footprint('notes', 'other_events')).toEqual({
      tables: [],
      sequences: [],
      role: false,
      migrationRows: 0,
      sharedDataRows: 0,
      objects: [],
      stream: false,
      consumerOnOthersStream: false,
    });
    // The other plugin keeps everything, its stream included (only the purged plugin's group left it).
    expect(await footprint('other', 'notes_events')).toEqual({ ...full('other'), consumerOnOthersStream: false });
    expect(await dataSource.query('SELECT text FROM other_note')).toEqual([{ text: 'other row' }]);
    // Done: nothing is pending any more.
    await expect(manager.uninstall('notes', { purge: true })).rejects.toThrow(PluginNotActiveError);
  });

  it('lets a plugin of the same name be installed again afresh, its raw SQL working at once', async () => {
    await manager.load(NotesPlugin);
    expect(await dataSource.query('SELECT text FROM notes_note')).toEqual([{ text: 'notes row' }]);
    expect((await footprint('notes', 'other_events')).role).toBe(kind === 'postgres');
  });
});
