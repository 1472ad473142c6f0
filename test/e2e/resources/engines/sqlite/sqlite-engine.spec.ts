import 'reflect-metadata';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  InjectPluginContext,
  Plugin,
  PluginModule,
  SqlNotAllowedError,
  SqlTimeoutError,
  TableAccessDeniedError,
  type PluginContext,
} from 'nestjs-plugins';
import { SqliteSqlEngine } from '../../../../../lib/resources/engines/sqlite/sqlite-sql-engine.js';
import { ResourcePolicy } from '../../../../../lib/resources/resource-policy.js';
import { bootApp } from '../../../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../../../support/test-databases.js';

@Entity('notes')
class Note {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') body!: string;
  @Column('integer', { default: 0 }) tagId!: number;
}

@Entity('tags')
class Tag {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') label!: string;
}

/** The plugin that tries to get out: it may touch its notes and tags only. */
@Plugin({ name: 'sly', version: '1.0.0', entities: [Note, Tag], allowedTables: ['notes', 'tags'] })
class SlyPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Entity('tokens')
class RivalToken {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') value!: string;
}

@Plugin({ name: 'rival', version: '1.0.0', entities: [RivalToken], allowedTables: ['tokens'] })
class RivalPlugin {}

/** The host's own table. */
@Entity('accounts')
class Account {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') owner!: string;
}

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

const CANARY = 'CANARY';
const HOST_TOKEN = `${CANARY}-host-token`;
const RIVAL_TOKEN = `${CANARY}-rival-token`;
const ACCOUNT_OWNER = `${CANARY}-account`;
const NOTES = 300;

/** The host's objects that no plugin may reach, each holding a canary. */
async function createHostObjects(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE TABLE tokens (value TEXT)`);
  await dataSource.query(`INSERT INTO tokens (value) VALUES (?)`, [HOST_TOKEN]);
  await dataSource.query(`INSERT INTO accounts (owner) VALUES (?)`, [ACCOUNT_OWNER]);
  await dataSource.query(`INSERT INTO "rival_tokens" (value) VALUES (?)`, [RIVAL_TOKEN]);
  await dataSource.query(`CREATE VIEW account_view AS SELECT owner FROM accounts`);
  await dataSource.query(`CREATE VIRTUAL TABLE host_fts USING fts5(secret)`);
  await dataSource.query(`INSERT INTO host_fts (secret) VALUES (?)`, [`${CANARY}-fts`]);
}

async function canaries(dataSource: DataSource): Promise<unknown> {
  return {
    tokens: await dataSource.query(`SELECT value FROM tokens`),
    rival: await dataSource.query(`SELECT id, value FROM "rival_tokens"`),
    accounts: await dataSource.query(`SELECT id, owner FROM accounts`),
    notes: await dataSource.query(`SELECT id, body, tagId FROM "sly_notes" ORDER BY id`),
  };
}

/**
 * Statements that reach another object without naming it in FROM (`expr IN table`), as the
 * guard would hand them to the engine if it read them as harmless: real table names, so the
 * engine's word alone decides. The guard refuses these forms too; the engine must not need it.
 */
const ESCAPES: readonly (readonly [sql: string, table: string])[] = [
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN "tokens"`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN 'tokens'`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN tokens`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN TOKENS`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN "ToKeNs"`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN [tokens]`, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN \`tokens\``, 'tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN main.tokens`, 'main.tokens'],
  [`SELECT id FROM notes WHERE '${HOST_TOKEN}' IN "main"."tokens"`, 'main.tokens'],
  [`SELECT id FROM notes WHERE (1, '${RIVAL_TOKEN}') IN "rival_tokens"`, 'rival_tokens'],
  [`SELECT id FROM notes WHERE (1, '${ACCOUNT_OWNER}') IN accounts`, 'accounts'],
  [`SELECT id FROM notes WHERE '${ACCOUNT_OWNER}' IN account_view`, 'account_view'],
  [`SELECT id FROM notes WHERE '${CANARY}-fts' IN host_fts`, 'host_fts'],
  [`SELECT id FROM notes WHERE ('table', 'accounts', 'accounts', 2, 'x') IN sqlite_master`, 'sqlite_schema'],
  [`SELECT id FROM notes WHERE ('table', 'accounts', 'accounts', 2, 'x') IN sqlite_schema`, 'sqlite_schema'],
  [`SELECT id FROM notes WHERE EXISTS (SELECT 1 FROM notes WHERE '${HOST_TOKEN}' IN tokens)`, 'tokens'],
  [`SELECT id FROM notes WHERE id IN (SELECT id FROM tags WHERE '${HOST_TOKEN}' IN "tokens")`, 'tokens'],
  [`UPDATE notes SET body = 'leaked' WHERE '${HOST_TOKEN}' IN "tokens"`, 'tokens'],
  [`DELETE FROM notes WHERE '${RIVAL_TOKEN}' NOT IN 'rival_tokens'`, 'rival_tokens'],
];

/** Engine objects and functions that are no table of anyone's. */
const NOT_ALLOWED: readonly string[] = [
  `SELECT id FROM notes WHERE ('main', 'accounts', 'table', 2, 0, 0) IN pragma_table_list`,
  `SELECT id FROM notes WHERE 'x' IN (SELECT value FROM json_each('["x"]'))`,
  `SELECT last_insert_rowid() FROM notes`,
  `SELECT changes(), total_changes() FROM notes`,
  `SELECT id FROM notes WHERE sqlite_source_id() IS NOT NULL`,
];

/** Statements that would hold a synchronous connection for minutes, or forever. */
const RUNAWAYS: readonly string[] = [
  `SELECT id FROM notes ORDER BY RANDOMBLOB(500000000/2)`,
  `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c`,
  `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 1000000000000) SELECT max(n) FROM c`,
  `SELECT count(*) FROM notes a, notes b, notes c, tags d`,
  `UPDATE notes SET tagId = tagId + 1 WHERE id IN (SELECT a.id FROM notes a, notes b, notes c)`,
];

const TIMEOUT_MS = 500;

/** The plugin's statement with its table names rewritten to the real ones, as the guard does. */
function rewritten(sql: string): string {
  return sql.replace(/\bnotes\b/g, '"sly_notes"').replace(/\btags\b/g, '"sly_tags"');
}

describe('SQLite engine: verified by what SQLite compiled, bounded by sqlTimeoutMs', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let sly: SlyPlugin;
  let engine: SqliteSqlEngine;
  const scope = {
    pluginName: 'sly',
    policy: new ResourcePolicy('sly', { name: 'sly', allowedTables: ['notes', 'tags'] }),
    timeoutMs: TIMEOUT_MS,
  };
  const runOnEngine = (sql: string, params: unknown[] = []) => engine.run([{ sql: rewritten(sql), params }], scope);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await bootApp(
      [
        TypeOrmModule.forRoot({ ...database.connection, entities: [Account], synchronize: true }),
        PluginModule.forRoot({ plugins: [SlyPlugin, RivalPlugin], sqlTimeoutMs: TIMEOUT_MS }),
      ],
      [PingController],
    );
    dataSource = app.get(DataSource);
    await createHostObjects(dataSource);
    sly = app.get(SlyPlugin);
    engine = new SqliteSqlEngine(dataSource);
    await sly.ctx.database.executeQuery(`INSERT INTO tags (label) VALUES ('red'), ('blue')`);
    for (let i = 1; i <= NOTES; i++) await sly.ctx.database.executeQuery(`INSERT INTO notes (body, tagId) VALUES (?, ?)`, [`note ${i}`, (i % 2) + 1]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(ESCAPES)('refuses %s (handed straight to the engine) as a table outside the allow-list; nothing leaks or changes', async (sql, table) => {
    const before = await canaries(dataSource);
    const error = await runOnEngine(sql).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableAccessDeniedError);
    expect((error as Error).message).toBe(`Plugin "sly" may not access table "${table}" (allowed: notes, tags)`);
    expect(JSON.stringify(error)).not.toContain(CANARY);
    expect(await canaries(dataSource)).toEqual(before);
  });

  it.each(ESCAPES)('refuses %s through ctx.database.executeQuery; nothing leaks or changes', async (sql) => {
    const before = await canaries(dataSource);
    const error = await sly.ctx.database.executeQuery(sql).catch((caught: unknown) => caught);
    expect([TableAccessDeniedError, SqlNotAllowedError].some((type) => error instanceof type)).toBe(true);
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(CANARY);
    expect(await canaries(dataSource)).toEqual(before);
  });

  it.each(NOT_ALLOWED)('refuses engine objects and functions outside the allow-list: %s', async (sql) => {
    for (const run of [runOnEngine, (text: string) => sly.ctx.database.executeQuery(text)]) {
      const error = await run(sql).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqlNotAllowedError);
      expect((error as Error).message).not.toContain(CANARY);
    }
  });

  it('refuses another object in the same words whether it exists or not', async () => {
    const probes = [
      `SELECT id FROM notes WHERE 'x' IN "Tokens"`,
      `SELECT id FROM notes WHERE 'x' IN 'ACCOUNT_VIEW'`,
      `SELECT id FROM notes WHERE (1, 'x') IN rival_tokens`,
      `SELECT id FROM notes WHERE 'x' IN host_fts`,
      `SELECT id FROM notes WHERE 'x' IN [Accounts]`,
      `UPDATE notes SET body = body WHERE 'x' IN main.tokens`,
    ];
    const refusals = (run: (sql: string) => Promise<unknown>) =>
      Promise.all(probes.map((sql) => run(sql).then(() => 'ran', (caught: Error) => `${caught.name}: ${caught.message}`)));
    const whileTheyExist = await refusals(runOnEngine);
    const other = await createTestDatabase('sqlite');
    const bare = await bootApp([
      TypeOrmModule.forRoot({ ...other.connection, entities: [Note, Tag], synchronize: true }),
      PluginModule.forRoot({ plugins: [SlyPlugin], sqlTimeoutMs: TIMEOUT_MS }),
    ]);
    try {
      const engine = new SqliteSqlEngine(bare.get(DataSource));
      const missing = await refusals((sql) => engine.run([{ sql: rewritten(sql), params: [] }], scope));
      expect(missing).toEqual(whileTheyExist);
      expect(whileTheyExist.every((refusal) => refusal.startsWith('TableAccessDeniedError: Plugin "sly" may not access table'))).toBe(true);
    } finally {
      await bare.close();
      await other.drop();
    }
  });

  it('verifies again once the schema changed: a table swapped for a view over the host table reads nothing', async () => {
    const other = await createTestDatabase('sqlite');
    const swapped = await bootApp([
      TypeOrmModule.forRoot({ ...other.connection, entities: [Account], synchronize: true }),
      PluginModule.forRoot({ plugins: [SlyPlugin], sqlTimeoutMs: TIMEOUT_MS }),
    ]);
    try {
      const host = swapped.get(DataSource);
      await host.query(`INSERT INTO accounts (owner) VALUES (?)`, [ACCOUNT_OWNER]);
      const { ctx } = swapped.get(SlyPlugin);
      await ctx.database.executeQuery(`INSERT INTO tags (label) VALUES ('red')`);
      expect(await ctx.database.executeQuery(`SELECT label FROM tags WHERE id > ?`, [0n])).toEqual([{ label: 'red' }]);

      await host.query(`DROP TABLE "sly_tags"`);
      await host.query(`CREATE VIEW "sly_tags" AS SELECT id, owner AS label FROM accounts`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const outcome = await ctx.database.executeQuery(`SELECT label FROM tags WHERE id > ?`, [0n]).catch((caught: Error) => caught);
      expect(outcome).toBeInstanceOf(Error);
      expect(JSON.stringify({ outcome, message: (outcome as Error).message }, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(CANARY);
    } finally {
      await swapped.close();
      await other.drop();
    }
  });

  it('runs ordinary joins in-process with the right rows, and unbounded ones on the runner with the same rows', async () => {
    const manyToOne = await sly.ctx.database.executeQuery(
      `SELECT n.id, n.body, t.label FROM notes n JOIN tags t ON t.id = n.tagId WHERE n.id <= ? ORDER BY n.id`,
      [3n],
    );
    expect(manyToOne).toEqual([
      { id: 1, body: 'note 1', label: 'blue' },
      { id: 2, body: 'note 2', label: 'red' },
      { id: 3, body: 'note 3', label: 'blue' },
    ]);
    const perTag = await sly.ctx.database.executeQuery(
      `SELECT t.label, count(n.id) AS notes FROM tags t JOIN notes n ON n.tagId = t.id WHERE t.id >= ? GROUP BY t.label ORDER BY t.label`,
      [1n],
    );
    expect(perTag).toEqual([
      { label: 'blue', notes: NOTES / 2 },
      { label: 'red', notes: NOTES / 2 },
    ]);
  });

  it.each(RUNAWAYS)('ends %s with SqlTimeoutError within sqlTimeoutMs + 1 s while HTTP is answered', async (sql) => {
    const before = await canaries(dataSource);
    const started = Date.now();
    const runaway = sly.ctx.database.executeQuery(sql).then(
      () => 'finished',
      (caught: unknown) => caught,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pingStarted = Date.now();
    const ping = await request(app.getHttpServer()).get('/ping');
    const pingMs = Date.now() - pingStarted;
    const outcome = await runaway;
    const elapsed = Date.now() - started;

    expect(ping.text).toBe('pong');
    expect(pingMs).toBeLessThan(TIMEOUT_MS);
    expect(outcome).toBeInstanceOf(SqlTimeoutError);
    expect((outcome as Error).message).toBe(`Plugin "sly" statement exceeded ${TIMEOUT_MS} ms`);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
    expect(await canaries(dataSource)).toEqual(before);
    expect(await sly.ctx.database.executeQuery(`SELECT count(*) AS n FROM notes WHERE id > ?`, [0n])).toEqual([{ n: NOTES }]);
  });
});

describe.each([
  ['WAL', true, 200],
  ['a rollback journal', false, TIMEOUT_MS + 1000],
])('SQLite engine with %s: a host write while a runaway read holds the runner', (_mode, enableWAL, waitLimitMs) => {
  it(`waits less than ${waitLimitMs} ms, and the runaway still ends with SqlTimeoutError`, async () => {
    const database = await createTestDatabase('sqlite');
    const dataSource = new DataSource({ ...(database.connection as { type: 'better-sqlite3'; database: string }), enableWAL });
    await dataSource.initialize();
    try {
      await dataSource.query(`CREATE TABLE "sly_notes" (id INTEGER PRIMARY KEY, body TEXT)`);
      await dataSource.query(`CREATE TABLE host (id INTEGER PRIMARY KEY, v TEXT)`);
      for (let i = 0; i < NOTES; i++) await dataSource.query(`INSERT INTO "sly_notes" (body) VALUES (?)`, [`note ${i}`]);
      const engine = new SqliteSqlEngine(dataSource);
      const scope = { pluginName: 'sly', policy: new ResourcePolicy('sly', { name: 'sly', allowedTables: ['notes'] }), timeoutMs: TIMEOUT_MS };
      const runaway = engine.run([{ sql: rewritten(RUNAWAYS[3]!.replace('tags d', 'notes d')), params: [] }], scope).catch((caught: unknown) => caught);
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 2));
      const started = Date.now();
      await dataSource.query(`INSERT INTO host (v) VALUES (?)`, ['written']);
      expect(Date.now() - started).toBeLessThan(waitLimitMs);
      expect(await runaway).toBeInstanceOf(SqlTimeoutError);
      expect(await dataSource.query(`SELECT v FROM host`)).toEqual([{ v: 'written' }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});

describe('SQLite engine on an in-memory database', () => {
  it('refuses unbounded statements up front (no second connection can see the database) and runs bounded ones', async () => {
    const app = await bootApp([
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
      PluginModule.forRoot({ plugins: [SlyPlugin], sqlTimeoutMs: TIMEOUT_MS }),
    ]);
    try {
      const { ctx } = app.get(SlyPlugin);
      await ctx.database.executeQuery(`INSERT INTO notes (body) VALUES (?)`, ['only']);
      const started = Date.now();
      await expect(ctx.database.executeQuery(RUNAWAYS[1]!)).rejects.toThrow(SqlTimeoutError);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
      expect(await ctx.database.executeQuery(`SELECT body FROM notes WHERE id = ?`, [1n])).toEqual([{ body: 'only' }]);
    } finally {
      await app.close();
    }
  });
});
