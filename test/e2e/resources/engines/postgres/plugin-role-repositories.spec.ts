import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, In, PrimaryGeneratedColumn, VirtualColumn, type Repository } from 'typeorm';
import {
  InjectPluginContext,
  InjectPluginRepository,
  Plugin,
  PluginModule,
  SqlNotAllowedError,
  SqlTimeoutError,
  TableAccessDeniedError,
  type PluginContext,
} from 'nestjs-plugins';
import { pluginRoleName } from '../../../../../lib/resources/engines/postgres/plugin-role-name.js';
import { bootApp } from '../../../support/boot-app.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, type TestDatabase } from '../../../../support/test-databases.js';
import { databaseNameOf, dropPluginRoles } from './support/postgres-roles.js';

/** A plugin's row; `who` is filled by PostgreSQL with the role the INSERT ran under. */
@Entity('notes')
class LedgerNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') body!: string;
  @Column({ type: 'varchar', default: () => 'current_user' }) who?: string;
}

/** A crafted entity: its virtual column reads a host table whenever the plugin loads a row. */
@Entity('peeks')
class PeekNote {
  @PrimaryGeneratedColumn() id!: number;
  @VirtualColumn({ type: 'varchar', query: () => 'SELECT owner FROM accounts LIMIT 1' }) loot?: string;
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

@Plugin({ name: 'ledger', version: '1.0.0', entities: [LedgerNote, PeekNote], allowedTables: ['notes', 'peeks'] })
class LedgerPlugin {
  constructor(
    @InjectPluginRepository(LedgerNote) readonly notes: Repository<LedgerNote>,
    @InjectPluginRepository(PeekNote) readonly peeks: Repository<PeekNote>,
    @InjectPluginContext() readonly ctx: PluginContext,
  ) {}
}

@Plugin({ name: 'rival', version: '1.0.0', entities: [RivalNote], allowedTables: ['notes'] })
class RivalPlugin {}

/** The canaries, as the superuser sees them: another plugin's rows and the host's. */
async function canaries(dataSource: DataSource): Promise<unknown> {
  return {
    rival: await dataSource.query(`SELECT id, body FROM "rival_notes" ORDER BY id`),
    accounts: await dataSource.query(`SELECT id, owner FROM accounts ORDER BY id`),
  };
}

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs plugin repositories under the plugin role', () => undefined);
  });
} else {
  describe('repositories under the plugin role on PostgreSQL', () => {
    let database: TestDatabase;
    let databaseName: string;
    let app: INestApplication;
    let dataSource: DataSource;
    let ledger: LedgerPlugin;
    let before: unknown;
    const role = () => pluginRoleName(databaseName, 'ledger');

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const connection = database.connection as { type: 'postgres'; url: string };
      databaseName = databaseNameOf(connection.url);
      app = await bootApp([
        TypeOrmModule.forRoot({ ...connection, entities: [Account], synchronize: true, poolSize: 2 }),
        PluginModule.forRoot({ plugins: [LedgerPlugin, RivalPlugin], sqlTimeoutMs: 500 }),
      ]);
      dataSource = app.get(DataSource);
      ledger = app.get(LedgerPlugin);
      await dataSource.query(`INSERT INTO "rival_notes" (body) VALUES ('rival secret')`);
      await dataSource.query(`INSERT INTO accounts (owner) VALUES ('host secret')`);
      await dataSource.query(`INSERT INTO "ledger_peeks" DEFAULT VALUES`);
      before = await canaries(dataSource);
    });
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await dropPluginRoles(databaseName);
    });

    it('runs every repository statement under the plugin role, transactions included', async () => {
      const saved = await ledger.notes.save({ body: 'first' });
      await ledger.notes.manager.transaction(async (manager) => {
        await manager.save(LedgerNote, { body: 'second' });
        await manager.transaction(async (inner) => inner.save(LedgerNote, { body: 'third' }));
      });
      await ledger.notes.update({ id: saved.id }, { body: 'first, changed' });
      const rows = await dataSource.query(`SELECT body, who FROM "ledger_notes" ORDER BY id`);
      expect(rows).toEqual(['first, changed', 'second', 'third'].map((body) => ({ body, who: role() })));
      expect(await ledger.notes.count()).toBe(3);
      await ledger.notes.clear();
      expect(await ledger.notes.count()).toBe(0);
    });

    it('rolls back a failed transaction and leaves both pooled connections as they came', async () => {
      const failing = ledger.notes.manager.transaction(async (manager) => {
        await manager.save(LedgerNote, { body: 'rolled back' });
        await manager.query(`SELECT * FROM "rival_notes"`);
      });
      await expect(failing).rejects.toThrow(TableAccessDeniedError);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "ledger_notes" WHERE body = 'rolled back'`)).toEqual([{ n: 0 }]);
      const states = await Promise.all(
        [1, 2].map(() =>
          dataSource.transaction((manager) =>
            manager.query(`SELECT current_user AS who, current_setting('statement_timeout') AS timeout, pg_sleep(0.05)::text AS pause`),
          ),
        ),
      );
      expect(states).toEqual([1, 2].map(() => [{ who: 'postgres', timeout: '0', pause: '' }]));
    });

    it('rolls back a transaction the plugin leaves open before its connection returns to the pool', async () => {
      const runner = ledger.notes.manager.connection.createQueryRunner();
      await runner.startTransaction();
      await runner.query(`INSERT INTO "ledger_notes" (body) VALUES ('left open')`);
      await runner.release();
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "ledger_notes" WHERE body = 'left open'`)).toEqual([{ n: 0 }]);
      const states = await Promise.all(
        [1, 2].map(() => dataSource.transaction((manager) => manager.query(`SELECT current_user AS who, pg_sleep(0.05)::text AS pause`))),
      );
      expect(states).toEqual([1, 2].map(() => [{ who: 'postgres', pause: '' }]));
    });

    it.each([
      ['a query builder joining another plugin’s table', () => ledger.notes.createQueryBuilder('n').innerJoin('rival_notes', 'r', 'true').select('r.body').getRawMany(), 'rival_notes'],
      ['a query builder reading a host table', () => ledger.notes.createQueryBuilder().select('owner').from('accounts', 'a').getRawMany(), 'accounts'],
      ['a crafted virtual column reading a host table', () => ledger.peeks.findOneBy({ id: 1 }), 'accounts'],
      ['raw SQL through the repository writing another plugin’s table', () => ledger.notes.query(`UPDATE "rival_notes" SET body = 'pwned'`), 'rival_notes'],
      ['raw SQL through the manager deleting host rows', () => ledger.notes.manager.query(`DELETE FROM accounts`), 'accounts'],
    ])('refuses, by the role, %s', async (_what, attempt, table) => {
      const refusal = attempt();
      await expect(refusal).rejects.toThrow(TableAccessDeniedError);
      await expect(refusal).rejects.toThrow(`Plugin "ledger" may not access table "${table}" (allowed: notes, peeks)`);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it.each([
      ['RESET ROLE', 'RESET ROLE'],
      ['SET ROLE', 'SET ROLE postgres'],
      ['TRUNCATE of another table', 'TRUNCATE TABLE accounts'],
      ['DDL', 'DROP TABLE accounts'],
    ])('refuses %s through the repository before it reaches the server', async (_what, sql) => {
      await expect(ledger.notes.query(sql)).rejects.toThrow(SqlNotAllowedError);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it('refuses a statement that would change the role, and rolls its transaction back', async () => {
      const leaked: unknown[] = [];
      const escape = ledger.notes.manager.transaction(async (manager) => {
        await manager.save(LedgerNote, { body: 'during the escape' });
        leaked.push(await manager.query(`SELECT set_config('role', 'none', true), query_to_xml('SELECT owner FROM accounts', true, false, '') AS loot`));
        leaked.push(await manager.query(`UPDATE accounts SET owner = 'pwned'`));
      });
      await expect(escape).rejects.toThrow(new SqlNotAllowedError('ledger', 'function set_config() is not allowed'));
      expect(leaked).toEqual([]);
      expect(await canaries(dataSource)).toEqual(before);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "ledger_notes" WHERE body = 'during the escape'`)).toEqual([{ n: 0 }]);
    });

    // The check after each statement sees only the role at its end: these are refused before they are sent.
    it.each([
      ['switches the role away and back around a dynamic read', () => `SELECT set_config('role', 'none', true) AS away, query_to_xml('SELECT owner FROM accounts', true, false, '') AS loot, set_config('role', '${role()}', true) AS back`, 'set_config'],
      ['reads through a dynamic-SQL function without changing the role', () => `SELECT query_to_xml('SELECT body FROM "rival_notes"', true, false, '') AS loot`, 'query_to_xml'],
      ['changes the role inside a dynamic statement', () => `SELECT query_to_xml('SELECT set_config(''role'', ''none'', true)', true, false, '') AS away`, 'query_to_xml'],
    ])('refuses a statement that %s, before it reaches the server', async (_what, sql, refusedFunction) => {
      const leaked: unknown[] = [];
      const refusal = new SqlNotAllowedError('ledger', `function ${refusedFunction}() is not allowed`);
      await expect(ledger.notes.query(sql()).then((rows: unknown) => leaked.push(rows))).rejects.toThrow(refusal);
      await expect(ledger.notes.manager.query(sql())).rejects.toThrow(SqlNotAllowedError);
      expect(leaked).toEqual([]);
      expect(await ledger.notes.query(`SELECT current_user AS who`)).toEqual([{ who: role() }]);
      expect(await canaries(dataSource)).toEqual(before);
    });

    it('reads a long statement in a worker thread: a large In() list runs, a long escape is refused, a parse past the timeout stops', async () => {
      const ids = Array.from({ length: 2_000 }, (_, index) => index + 1);
      await expect(ledger.notes.findBy({ id: In(ids) })).resolves.toEqual(expect.any(Array));
      const padding = `/* ${'x'.repeat(5_000)} */`;
      const escape = `SELECT set_config('role', 'none', true) AS away, query_to_xml('SELECT owner FROM accounts', true, false, '') AS loot, set_config('role', '${role()}', true) AS back ${padding}`;
      await expect(ledger.notes.query(escape)).rejects.toThrow(new SqlNotAllowedError('ledger', 'function set_config() is not allowed'));
      // Some 4 MB of text takes PostgreSQL's parser longer than the plugin's 500 ms: on the event loop it would have held the host that long.
      const huge = `SELECT id FROM "ledger_notes" WHERE id IN (${Array.from({ length: 600_000 }, (_, index) => index).join(', ')})`;
      const started = performance.now();
      await expect(ledger.notes.query(huge)).rejects.toThrow(SqlTimeoutError);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await canaries(dataSource)).toEqual(before);
    }, 30_000);

    it('refuses statements that change its session (search path, timeout, role), and keeps its timeout', async () => {
      const refused = new SqlNotAllowedError('ledger', 'function set_config() is not allowed');
      await expect(ledger.notes.query(`SELECT set_config('search_path', 'public, pg_temp', false)`)).rejects.toThrow(refused);
      const hostSessions = await Promise.all(
        [1, 2].map(() => dataSource.transaction((manager) => manager.query(`SELECT current_setting('search_path') AS path, pg_sleep(0.05)::text AS pause`))),
      );
      expect(hostSessions).toEqual([1, 2].map(() => [{ path: '"$user", public', pause: '' }]));
      await expect(ledger.notes.query(`SELECT set_config('statement_timeout', '0', false)`)).rejects.toThrow(refused);
      await expect(ledger.notes.query(`SELECT set_config('role', 'none', false)`)).rejects.toThrow(refused);
      await expect(ledger.notes.query(`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100000000) SELECT count(*) FROM r`)).rejects.toThrow(SqlTimeoutError);
      expect(await ledger.notes.query(`SELECT current_user AS who`)).toEqual([{ who: role() }]);
      expect(await canaries(dataSource)).toEqual(before);
    });
  });
}
