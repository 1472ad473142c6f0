import 'reflect-metadata';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  InjectPluginContext,
  Plugin,
  PluginManager,
  PluginModule,
  PluginRoleUnavailableError,
  SqlNotAllowedError,
  SqlTimeoutError,
  TableAccessDeniedError,
  type PluginContext,
  type ResourceOverrides,
} from 'nestjs-plugins';
import { PostgresSqlEngine } from '../../../../../lib/resources/engines/postgres/postgres-sql-engine.js';
import { pluginRoleName } from '../../../../../lib/resources/engines/postgres/plugin-role-name.js';
import { ResourcePolicy } from '../../../../../lib/resources/resource-policy.js';
import { bootApp } from '../../../support/boot-app.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, type TestDatabase } from '../../../../support/test-databases.js';
import { databaseNameOf, dropPluginRoles, operatorScript, queryDatabase } from './support/postgres-roles.js';

@Entity('notes')
class KeeperNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') body!: string;
}

@Entity('notes')
class RivalNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') body!: string;
}

/** The host's own table. */
@Entity('accounts')
class Account {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') owner!: string;
}

@Plugin({ name: 'keeper', version: '1.0.0', entities: [KeeperNote], allowedTables: ['notes', 'ledger'] })
class KeeperPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Plugin({ name: 'rival', version: '1.0.0', entities: [RivalNote], allowedTables: ['notes'] })
class RivalPlugin {}

@Controller('ping')
class PingController {
  @Get()
  ping(): string {
    return 'pong';
  }
}

const TIMEOUT_MS = 500;
const KEEPER_ALLOWED = ['notes', 'ledger'];

/** The canaries: rows in another plugin's table and in a host table, as the superuser sees them. */
async function canaries(dataSource: DataSource): Promise<unknown> {
  return {
    rival: await dataSource.query(`SELECT id, body FROM "rival_notes" ORDER BY id`),
    accounts: await dataSource.query(`SELECT id, owner FROM accounts ORDER BY id`),
  };
}

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs plugin raw SQL under its own PostgreSQL role', () => undefined);
  });
} else {
  describe('raw SQL under the plugin role on PostgreSQL', () => {
    let database: TestDatabase;
    let databaseName: string;
    let app: INestApplication;
    let dataSource: DataSource;
    let engine: PostgresSqlEngine;
    let keeper: KeeperPlugin;
    let before: unknown;

    const policy = (overrides: ResourceOverrides = {}) => new ResourcePolicy('keeper', { name: 'keeper', allowedTables: KEEPER_ALLOWED }, overrides);
    const scope = { pluginName: 'keeper', policy: policy(), timeoutMs: TIMEOUT_MS };
    /** Straight to the engine, as if the parser had been fooled into passing `sql`. */
    const runRaw = (sql: string, params: unknown[] = [], runScope = scope) => engine.run<unknown[]>([{ sql, params }], runScope);

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const connection = database.connection as { type: 'postgres'; url: string };
      databaseName = databaseNameOf(connection.url);
      app = await bootApp(
        [
          TypeOrmModule.forRoot({ ...connection, entities: [Account], synchronize: true, poolSize: 2 }),
          PluginModule.forRoot({ plugins: [KeeperPlugin, RivalPlugin], sqlTimeoutMs: TIMEOUT_MS }),
        ],
        [PingController],
      );
      await app.listen(0, '127.0.0.1');
      dataSource = app.get(DataSource);
      engine = new PostgresSqlEngine(dataSource);
      keeper = app.get(KeeperPlugin);
      await dataSource.query(`INSERT INTO "rival_notes" (body) VALUES ('rival secret')`);
      await dataSource.query(`INSERT INTO accounts (owner) VALUES ('host secret')`);
      await dataSource.query(`CREATE SCHEMA hidden`);
      await dataSource.query(`CREATE TABLE hidden.vault (id int)`);
      before = await canaries(dataSource);
    });
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await dropPluginRoles(databaseName);
    });

    it('runs the plugin’s own statements under its role, serial ids included', async () => {
      await keeper.ctx.database.executeQuery(`INSERT INTO notes (body) VALUES ($1)`, ['mine']);
      expect(await keeper.ctx.database.executeQuery(`SELECT body FROM notes`)).toEqual([{ body: 'mine' }]);
      expect(await runRaw(`SELECT current_user AS who`)).toEqual([{ who: pluginRoleName(databaseName, 'keeper') }]);
      const [, affected] = await runRaw(`UPDATE "keeper_notes" SET body = 'changed'`);
      expect(affected).toBe(1);
    });

    it.each([
      ['read another plugin’s table', `SELECT * FROM "rival_notes"`, 'rival_notes'],
      ['read a host table', `SELECT owner FROM accounts`, 'accounts'],
      ['read through a sub-query', `SELECT * FROM "keeper_notes" WHERE body IN (SELECT owner FROM public.accounts)`, 'accounts'],
      ['write another plugin’s table', `UPDATE "rival_notes" SET body = 'pwned'`, 'rival_notes'],
      ['delete host rows', `DELETE FROM accounts`, 'accounts'],
      ['insert into a host table', `INSERT INTO accounts (owner) VALUES ('pwned')`, 'accounts'],
      ['advance another plugin’s sequence', `SELECT nextval('rival_notes_id_seq')`, 'rival_notes_id_seq'],
      ['read a superuser-only catalog', `SELECT rolpassword FROM pg_authid`, 'pg_authid'],
    ])('refuses, by the role, a statement that would %s', async (_what, sql, table) => {
      const refusal = runRaw(sql);
      await expect(refusal).rejects.toThrow(TableAccessDeniedError);
      await expect(refusal).rejects.toThrow(`Plugin "keeper" may not access table "${table}" (allowed: notes, ledger)`);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it.each([
      ['another plugin’s table', `SELECT * FROM "rival_notes"`, `SELECT * FROM "rival_gone"`],
      ['a qualified name', `SELECT * FROM public.accounts`, `SELECT * FROM public.accountz`],
      ['an unquoted name in capitals', `SELECT * FROM ACCOUNTS`, `SELECT * FROM ACCOUNTZ`],
      ['a schema', `SELECT * FROM hidden.vault`, `SELECT * FROM hideout.vault`],
      ['a sequence', `SELECT nextval('rival_notes_id_seq')`, `SELECT nextval('rival_gone_id_seq')`],
    ])('refuses %s the same way whether it exists or not', async (_what, existing, missing) => {
      const [onExisting, onMissing] = await Promise.all([existing, missing].map((sql) => runRaw(sql).catch((error: unknown) => error)));
      expect(onExisting).toBeInstanceOf(TableAccessDeniedError);
      expect(onMissing).toBeInstanceOf(TableAccessDeniedError);
      const shape = (error: unknown) => (error as TableAccessDeniedError).message.replace(/"[^"]+" \(/, '"…" (');
      expect(shape(onMissing)).toBe(shape(onExisting));
      expect(Object.keys(onMissing as object).sort()).toEqual(Object.keys(onExisting as object).sort());
    });

    it.each([
      ['RESET ROLE', 'RESET ROLE'],
      ['SET ROLE', 'SET ROLE postgres'],
      ['COMMIT', 'COMMIT'],
      ['a statement behind a nested comment', '/* /* */ select */ COMMIT'],
    ])('refuses %s before it reaches the server', async (_what, sql) => {
      await expect(engine.run([{ sql, params: [] }, { sql: `DELETE FROM accounts`, params: [] }], scope)).rejects.toThrow(SqlNotAllowedError);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it('sends each statement alone, so a second statement cannot ride in the same text', async () => {
      await expect(runRaw(`SELECT 1; RESET ROLE; DELETE FROM accounts`)).rejects.toThrow(/multiple commands/);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it('rolls back and returns nothing when a statement changed the role', async () => {
      const escape = engine.run(
        [
          { sql: `SELECT set_config('role', 'none', true)`, params: [] },
          { sql: `UPDATE accounts SET owner = 'pwned'`, params: [] },
          { sql: `SELECT owner FROM accounts`, params: [] },
        ],
        scope,
      );
      await expect(escape).rejects.toThrow(new SqlNotAllowedError('keeper', 'a statement changed the database role it runs under'));
      expect(await canaries(dataSource)).toEqual(before);
    });

    describe('runaway statements', () => {
      beforeAll(async () => {
        await dataSource.query(`INSERT INTO "keeper_notes" (body) SELECT 'n' || i FROM generate_series(1, 3000) AS i`);
      });

      it.each([
        ['pg_sleep', `SELECT pg_sleep(10)`],
        ['a cartesian product of its own tables', `SELECT count(*) FROM "keeper_notes" a, "keeper_notes" b, "keeper_notes" c`],
        ['generate_series in a sub-query', `SELECT count(*) FROM (SELECT generate_series(1, 10000000000) AS n) s`],
      ])('cancels %s with SqlTimeoutError within the timeout + 1 s', async (_what, sql) => {
        const started = performance.now();
        await expect(runRaw(sql)).rejects.toThrow(new SqlTimeoutError('keeper', TIMEOUT_MS));
        expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
      });

      it('answers HTTP while a plugin statement runs, and gives the connection back clean', async () => {
        const url = `${await app.getUrl()}/ping`.replace('[::1]', '127.0.0.1');
        const runaway = keeper.ctx.database
          .executeQuery(`SELECT count(*) FROM notes a, notes b, notes c`)
          .then(
            () => 'finished',
            (error: unknown) => error,
          );
        const started = performance.now();
        const answer = await (await fetch(url)).text();
        const answeredAfter = performance.now() - started;
        expect(answer).toBe('pong');
        expect(answeredAfter).toBeLessThan(TIMEOUT_MS / 2);
        expect(await runaway).toEqual(new SqlTimeoutError('keeper', TIMEOUT_MS));
        // Both pooled connections: neither keeps the plugin's role, its timeout or a transaction.
        const states = await Promise.all(
          [1, 2].map(() =>
            dataSource.transaction((manager) =>
              manager.query(`SELECT current_user AS who, current_setting('statement_timeout') AS timeout, pg_sleep(0.05)::text AS pause`),
            ),
          ),
        );
        expect(states).toEqual([
          { who: 'postgres', timeout: '0', pause: '' },
          { who: 'postgres', timeout: '0', pause: '' },
        ].map((state) => [state]));
      });
    });

    describe('grants follow the policy', () => {
      const role = () => pluginRoleName(databaseName, 'keeper');
      const privileged = async (table: string) =>
        (await dataSource.query(`SELECT has_table_privilege($1, $2, 'SELECT') AS granted`, [role(), table]))[0].granted as boolean;

      it('grants a table the host creates after the first statement, on first use', async () => {
        await runRaw(`SELECT count(*) FROM "keeper_notes"`);
        await dataSource.query(`CREATE TABLE "keeper_ledger" (id serial PRIMARY KEY, entry text)`);
        await runRaw(`INSERT INTO "keeper_ledger" (entry) VALUES ('late')`);
        expect(await runRaw(`SELECT entry FROM "keeper_ledger"`)).toEqual([{ entry: 'late' }]);
      });

      it('follows setResourceOverrides: a mapped table is granted, and revoked when it leaves', async () => {
        await dataSource.query(`CREATE TABLE IF NOT EXISTS "keeper_ledger" (id serial PRIMARY KEY, entry text)`);
        await dataSource.query(`CREATE TABLE shared_ledger (id serial PRIMARY KEY, entry text)`);
        await dataSource.query(`INSERT INTO shared_ledger (entry) VALUES ('shared')`);
        const manager = app.get(PluginManager);
        manager.setResourceOverrides('keeper', { tableNameMap: { ledger: 'shared_ledger' } });
        expect(await keeper.ctx.database.executeQuery(`SELECT entry FROM ledger`)).toEqual([{ entry: 'shared' }]);
        expect(await privileged('shared_ledger')).toBe(true);
        expect(await privileged('keeper_ledger')).toBe(false);

        manager.setResourceOverrides('keeper', { allowedTables: ['notes'] });
        await keeper.ctx.database.executeQuery(`SELECT count(*) FROM notes`);
        expect(await privileged('shared_ledger')).toBe(false);
        const narrowed = { ...scope, policy: policy({ allowedTables: ['notes'] }) };
        await expect(runRaw(`SELECT * FROM shared_ledger`, [], narrowed)).rejects.toThrow(
          'Plugin "keeper" may not access table "shared_ledger" (allowed: notes)',
        );
        manager.setResourceOverrides('keeper', {});
      });
    });

    it('fails closed when the role disappears, and prepares it again on the next call', async () => {
      const role = pluginRoleName(databaseName, 'keeper');
      await runRaw(`SELECT count(*) FROM "keeper_notes"`);
      await dataSource.query(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`);
      await expect(runRaw(`SELECT count(*)::int AS n FROM "keeper_notes"`)).rejects.toThrow(
        `Plugin "keeper" cannot run raw SQL: its database role "${role}" cannot be assumed: role "${role}" does not exist (see docs/postgres-roles.md)`,
      );
      expect(await runRaw(`SELECT current_user AS who`)).toEqual([{ who: role }]);
    });

    it('prepares its frame again on a connection whose prepared statements were deallocated', async () => {
      await Promise.all([1, 2].map(() => runRaw(`SELECT pg_sleep(0.05)`)));
      // Both pooled connections: the host (or a pooler) drops every prepared statement of the session.
      await Promise.all([1, 2].map(() => dataSource.transaction((manager) => manager.query(`SELECT pg_sleep(0.05)`).then(() => manager.query('DEALLOCATE ALL')))));
      const whoAmI = await Promise.all([1, 2].map(() => runRaw(`SELECT current_user AS who, pg_sleep(0.05)::text AS pause`)));
      expect(whoAmI).toEqual([1, 2].map(() => [{ who: pluginRoleName(databaseName, 'keeper'), pause: '' }]));
    });

    it('keeps two databases with the same plugin apart', async () => {
      const other = await createTestDatabase('postgres');
      const otherName = databaseNameOf((other.connection as { url: string }).url);
      const otherApp = await bootApp([
        TypeOrmModule.forRoot({ ...other.connection, entities: [Account], synchronize: true }),
        PluginModule.forRoot({ plugins: [KeeperPlugin, RivalPlugin] }),
      ]);
      try {
        await otherApp.get(KeeperPlugin).ctx.database.executeQuery(`INSERT INTO notes (body) VALUES ('other')`);
        await keeper.ctx.database.executeQuery(`SELECT count(*) FROM notes`);
        const [mine, theirs] = [pluginRoleName(databaseName, 'keeper'), pluginRoleName(otherName, 'keeper')];
        expect(mine).not.toBe(theirs);
        const grants = await queryDatabase<{ role: string; granted: boolean }>(
          otherName,
          `SELECT r AS role, has_table_privilege(r, 'keeper_notes', 'SELECT') AS granted FROM unnest($1::text[]) r ORDER BY r = $2 DESC`,
          [[mine, theirs], theirs],
        );
        expect(grants).toEqual([
          { role: theirs, granted: true },
          { role: mine, granted: false },
        ]);
      } finally {
        await otherApp.close();
        await other.drop();
        await dropPluginRoles(otherName);
      }
    });

    it('creates the role once when two instances prepare it at the same time', async () => {
      const second = new PostgresSqlEngine(dataSource);
      const racing = { ...scope, pluginName: 'racer', policy: new ResourcePolicy('racer', { name: 'racer', allowedTables: ['rows'] }) };
      await dataSource.query(`CREATE TABLE "racer_rows" (id int)`);
      const count = [{ sql: `SELECT count(*)::int AS n FROM "racer_rows"`, params: [] }];
      const results = await Promise.all([engine, second, new PostgresSqlEngine(dataSource)].map((each) => each.run(count, racing)));
      expect(results).toEqual([[{ n: 0 }], [{ n: 0 }], [{ n: 0 }]]);
    });
  });
}
