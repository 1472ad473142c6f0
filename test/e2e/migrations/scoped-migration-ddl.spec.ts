import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource, Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { SqlNotAllowedError, TableAccessDeniedError } from '../../../lib/errors/index.js';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';
import { pluginRoleName } from '../../../lib/resources/engines/postgres/plugin-role-name.js';
import { PostgresSqlEngine } from '../../../lib/resources/engines/postgres/postgres-sql-engine.js';
import { scopeMigrationQueryRunner } from '../../../lib/migrations/scoped-migration-query-runner.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { SqlGuard } from '../../../lib/resources/sql/sql-guard.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, dropPluginRoles, type DatabaseKind, type TestDatabase } from '../../support/test-databases.js';
import { queryDatabase } from '../resources/engines/postgres/support/postgres-roles.js';

/** Plugin `notes` owns `note` and `tag` (real names `notes_note`, `notes_tag`); `billing_invoice` is another plugin's, `users` the host's. */
const METADATA: PluginMetadata = { name: 'notes', version: '1.0.0', allowedTables: ['note', 'tag'] };

type MigrationClass = new () => MigrationInterface;

const CREATE_NOTE_SQL = 'CREATE TABLE notes_note (id integer PRIMARY KEY, title varchar(80) NOT NULL)';

/** A migration whose `up` is `body`. */
function migration(body: (runner: QueryRunner) => Promise<unknown>): MigrationClass {
  return class implements MigrationInterface {
    async up(runner: QueryRunner): Promise<void> {
      await body(runner);
    }
    async down(): Promise<void> {}
  };
}

/** As the plugin host runs one: its own transaction, the scoped runner for `up`, commit or roll back. */
async function runMigration(dataSource: DataSource, Migration: MigrationClass, metadata: PluginMetadata = METADATA): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const scoped = await scopeMigrationQueryRunner(runner, new ResourceScope(metadata, new ResourceOverridesStore()));
    await new Migration().up(scoped);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

/** Every object of the database's main schema and every row outside the plugin, as the host sees them. */
async function catalogue(dataSource: DataSource, kind: DatabaseKind): Promise<unknown> {
  const rows = {
    users: await dataSource.query('SELECT * FROM users ORDER BY id'),
    billing: await dataSource.query('SELECT * FROM billing_invoice ORDER BY id'),
  };
  if (kind === 'sqlite') return { rows, schema: await dataSource.query('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name') };
  const schema = await dataSource.query(`
    SELECT c.relname, c.relkind, c.relowner::regrole::text AS owner, c.relacl::text AS acl,
           (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY a.attnum)
              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname`);
  const extra = await dataSource.query(`
    SELECT (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)::int AS functions,
           (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace)::int AS triggers,
           (SELECT count(*) FROM pg_roles WHERE rolname = 'np_hostile')::int AS roles,
           (SELECT count(*) FROM pg_extension)::int AS extensions,
           CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN has_schema_privilege($1, 'public', 'CREATE') END AS role_may_create`,
    [pluginRoleName(databaseNameOf(dataSource), 'notes')],
  );
  return { rows, schema, extra };
}

function databaseNameOf(dataSource: DataSource): string {
  return new URL((dataSource.options as { url: string }).url).pathname.slice(1);
}

/** The host's tables, another plugin's table, and their canary rows. */
async function hostSchema(dataSource: DataSource): Promise<void> {
  await dataSource.query('CREATE TABLE users (id integer PRIMARY KEY, name varchar(40) NOT NULL)');
  await dataSource.query('CREATE INDEX users_name_idx ON users (name)');
  await dataSource.query("INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob')");
  await dataSource.query('CREATE TABLE billing_invoice (id integer PRIMARY KEY, amount integer NOT NULL)');
  await dataSource.query('INSERT INTO billing_invoice (id, amount) VALUES (1, 100), (2, 250)');
}

const CREATE_NOTE = migration((runner) => runner.query(CREATE_NOTE_SQL));
const DROP_OWN = migration(async (runner) => {
  await runner.query('DROP TABLE IF EXISTS notes_tag');
  await runner.query('DROP TABLE IF EXISTS notes_note');
});

const suites: [DatabaseKind, boolean][] = [
  ['sqlite', true],
  ['postgres', PG_URL !== undefined],
];

for (const [kind, available] of suites) {
  if (!available) {
    describe.skip(`scoped migrations on ${kind}: ${POSTGRES_SKIPPED}`, () => {
      it('runs a plugin migration under its own names only', () => undefined);
    });
    continue;
  }

  describe(`a plugin migration's scoped QueryRunner (${kind})`, () => {
    let database: TestDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      dataSource = new DataSource({ ...database.connection });
      await dataSource.initialize();
      await hostSchema(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    afterEach(async () => {
      await runMigration(dataSource, DROP_OWN);
    });

    describe('its own tables, indexes and sequences', () => {
      it('creates, alters, indexes and drops them with query(), keeping the rows', async () => {
        await runMigration(
          dataSource,
          migration(async (runner) => {
            await runner.query('CREATE TABLE notes_note (id integer PRIMARY KEY, title varchar(80) NOT NULL)');
            await runner.query("INSERT INTO notes_note (id, title) VALUES (1, 'first'), (2, 'second')");
            await runner.query("ALTER TABLE notes_note ADD COLUMN body varchar(200) NOT NULL DEFAULT 'empty'");
            await runner.query('ALTER TABLE notes_note RENAME COLUMN title TO heading');
            await runner.query('CREATE INDEX notes_note_heading_idx ON notes_note (heading)');
            await runner.query('CREATE TABLE notes_tag (id integer PRIMARY KEY, note_id integer REFERENCES notes_note (id))');
            await runner.query('DROP TABLE notes_tag');
            if (kind === 'postgres') {
              await runner.query('CREATE SEQUENCE notes_counter');
              await runner.query("SELECT setval('notes_counter', 41)");
              expect(await runner.query("SELECT nextval('notes_counter') AS next")).toEqual([{ next: '42' }]);
              await runner.query('DROP SEQUENCE notes_counter');
            }
          }),
        );
        expect(await dataSource.query('SELECT id, heading, body FROM notes_note ORDER BY id')).toEqual([
          { id: 1, heading: 'first', body: 'empty' },
          { id: 2, heading: 'second', body: 'empty' },
        ]);
        expect(await tableNames(dataSource, kind)).toEqual(['billing_invoice', 'notes_note', 'users']);
      });

      it('does the same through the schema builder API', async () => {
        await runMigration(
          dataSource,
          migration(async (runner) => {
            await runner.createTable(
              new Table({
                name: 'notes_note',
                columns: [
                  { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
                  { name: 'title', type: 'varchar', length: '80' },
                ],
              }),
            );
            await runner.query("INSERT INTO notes_note (title) VALUES ('first'), ('second')");
            await runner.addColumn('notes_note', new TableColumn({ name: 'body', type: 'varchar', length: '200', isNullable: false, default: "'empty'" }));
            await runner.renameColumn('notes_note', 'title', 'heading');
            await runner.createIndex('notes_note', new TableIndex({ name: 'IDX_notes_heading', columnNames: ['heading'] }));
            await runner.createTable(new Table({ name: 'notes_tag', columns: [{ name: 'id', type: 'integer', isPrimary: true }, { name: 'note_id', type: 'integer' }] }));
            await runner.createForeignKey('notes_tag', new TableForeignKey({ columnNames: ['note_id'], referencedTableName: 'notes_note', referencedColumnNames: ['id'] }));
            expect(await runner.hasTable('notes_tag')).toBe(true);
            expect(await runner.hasTable('users')).toBe(false);
            await runner.dropTable('notes_tag');
          }),
        );
        expect(await dataSource.query('SELECT id, heading, body FROM notes_note ORDER BY id')).toEqual([
          { id: 1, heading: 'first', body: 'empty' },
          { id: 2, heading: 'second', body: 'empty' },
        ]);
        expect(await tableNames(dataSource, kind)).toEqual(['billing_invoice', 'notes_note', 'users']);
        const indexes = await indexNames(dataSource, kind, 'notes_note');
        expect(indexes).toContain('IDX_notes_heading');
      });
    });

    describe('anything else is refused and rolled back', () => {
      let before: unknown;

      beforeEach(async () => {
        before = await catalogue(dataSource, kind);
      });

      afterEach(async () => {
        expect(await catalogue(dataSource, kind)).toEqual(before);
      });

      const viaQuery: [string, string[]][] = [
        ["create another plugin's table", ['CREATE TABLE billing_ledger (id integer)']],
        ["alter another plugin's table", ['ALTER TABLE billing_invoice ADD COLUMN paid integer']],
        ["drop another plugin's table", ['DROP TABLE billing_invoice']],
        ["write another plugin's rows", ['INSERT INTO billing_invoice (id, amount) VALUES (3, 1)']],
        ['alter a host table', ['ALTER TABLE users ADD COLUMN admin integer']],
        ['rename a host column', ['ALTER TABLE users RENAME COLUMN name TO nick']],
        ['drop a host table', ['DROP TABLE users']],
        ['write host rows', ["UPDATE users SET name = 'mallory'"]],
        ['copy host rows into its own table', ['CREATE TABLE notes_note (id integer, name varchar(40))', 'INSERT INTO notes_note SELECT id, name FROM users']],
        ['create its table as a copy of a host table', ['CREATE TABLE notes_note AS SELECT * FROM users']],
        ['index another table', ['CREATE INDEX notes_idx ON billing_invoice (amount)']],
        ['drop a host index', ['DROP INDEX users_name_idx']],
        ["rename its table to another plugin's name", [CREATE_NOTE_SQL, 'ALTER TABLE notes_note RENAME TO billing_archive']],
        ['reference a host table', ['CREATE TABLE notes_note (id integer PRIMARY KEY, user_id integer REFERENCES users (id))']],
        ['a second statement in one call', [`${CREATE_NOTE_SQL}; DROP TABLE users`]],
        ['read the catalogue and a host table in one statement', [`SELECT * FROM ${kind === 'sqlite' ? 'sqlite_master' : 'pg_class'} JOIN users ON 1 = 1`]],
        ...(kind === 'sqlite'
          ? ([
              ['attach a database', ["ATTACH DATABASE ':memory:' AS other"]],
              ['write the schema directly', ['PRAGMA writable_schema = ON']],
              ['turn foreign keys off', ['PRAGMA foreign_keys = OFF']],
              ['a trigger that reaches a host table', [CREATE_NOTE_SQL, 'CREATE TRIGGER notes_t AFTER INSERT ON notes_note BEGIN DELETE FROM users; END']],
              ['a view over a host table', ['CREATE VIEW notes_v AS SELECT * FROM users']],
            ] as [string, string[]][])
          : ([
              ['give its table away', [CREATE_NOTE_SQL, 'ALTER TABLE notes_note OWNER TO CURRENT_USER']],
              ['grant on its table', [CREATE_NOTE_SQL, 'GRANT SELECT ON notes_note TO PUBLIC']],
              ['grant on a host table', ['GRANT SELECT ON users TO PUBLIC']],
              ['create a role', ['CREATE ROLE np_hostile']],
              ['create an extension', ['CREATE EXTENSION IF NOT EXISTS pgcrypto']],
              ['a function that reads a host table', ["CREATE FUNCTION notes_f() RETURNS bigint AS 'SELECT count(*) FROM users' LANGUAGE sql"]],
              [
                'a trigger that writes a host table',
                [CREATE_NOTE_SQL, 'CREATE TRIGGER notes_t AFTER INSERT ON notes_note FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()'],
              ],
              ['take the host role back', [CREATE_NOTE_SQL, 'RESET ROLE', 'DROP TABLE users']],
              ['set the role in a catalogue read', ["SELECT set_config('role', 'postgres', false) FROM pg_class LIMIT 1"]],
              ["another plugin's sequence", ['CREATE SEQUENCE billing_seq']],
              ['a default that reads a server file whenever the host writes a row', ["CREATE TABLE notes_note (id integer, secret text DEFAULT pg_read_file('/etc/hostname'))"]],
              ['drop with CASCADE', [CREATE_NOTE_SQL, 'DROP TABLE notes_note CASCADE']],
            ] as [string, string[]][])),
      ];

      /** Refused as SQL the migration mode does not run, rather than as a table it may not reach. */
      const notAllowed = new Set([
        'a second statement in one call',
        'set the role in a catalogue read',
        'end the transaction it runs in',
        "the driver's connection",
        'release the connection',
      ]);

      it.each(viaQuery)('query(): %s', async (title, statements) => {
        const denial = await runMigration(
          dataSource,
          migration(async (runner) => {
            for (const statement of statements) await runner.query(statement);
          }),
        ).catch((error: unknown) => error);
        expect(denial).toBeInstanceOf(notAllowed.has(title) ? SqlNotAllowedError : TableAccessDeniedError);
        expect(denial).toHaveProperty('pluginName', 'notes');
      });

      const viaBuilder: [string, (runner: QueryRunner) => Promise<unknown>][] = [
        ["create another plugin's table", (runner) => runner.createTable(new Table({ name: 'billing_ledger', columns: [{ name: 'id', type: 'integer' }] }))],
        ["add a column to another plugin's table", (runner) => runner.addColumn('billing_invoice', new TableColumn({ name: 'paid', type: 'integer', isNullable: true }))],
        ["drop another plugin's table", (runner) => runner.dropTable('billing_invoice')],
        ['add a column to a host table', (runner) => runner.addColumn('users', new TableColumn({ name: 'admin', type: 'integer', isNullable: true }))],
        ['rename a host column', (runner) => runner.renameColumn('users', 'name', 'nick')],
        ['drop a host column', (runner) => runner.dropColumn('users', 'name')],
        ['drop a host table', (runner) => runner.dropTable('users')],
        ['index a host table', (runner) => runner.createIndex('users', new TableIndex({ name: 'IDX_hostile', columnNames: ['id'] }))],
        ["rename its table to another plugin's name", async (runner) => {
          await runner.query(CREATE_NOTE_SQL);
          await runner.renameTable('notes_note', 'billing_archive');
        }],
        ['a foreign key to a host table', (runner) =>
          runner.createTable(
            new Table({
              name: 'notes_note',
              columns: [{ name: 'id', type: 'integer', isPrimary: true }, { name: 'user_id', type: 'integer' }],
              foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
            }),
          )],
        ['end the transaction it runs in', async (runner) => {
          await runner.query(CREATE_NOTE_SQL);
          await runner.commitTransaction();
        }],
        ["the driver's connection", (runner) => runner.connect()],
        ['release the connection', (runner) => runner.release()],
      ];

      it.each(viaBuilder)('schema builder: %s', async (title, body) => {
        const denial = await runMigration(dataSource, migration(body)).catch((error: unknown) => error);
        expect(denial).toBeInstanceOf(notAllowed.has(title) ? SqlNotAllowedError : TableAccessDeniedError);
        expect(denial).toHaveProperty('pluginName', 'notes');
      });
    });

    it('undoes a refused statement even when the migration catches the refusal and commits, and refuses every statement after it', async () => {
      const before = await catalogue(dataSource, kind);
      const errors: unknown[] = [];
      await runMigration(
        dataSource,
        migration(async (runner) => {
          // The guard lets DROP INDEX through: the engine finds the index is a host table's.
          await runner.query('DROP INDEX users_name_idx').catch((error: unknown) => errors.push(error));
          await runner.query(CREATE_NOTE_SQL).catch((error: unknown) => errors.push(error));
        }),
      );
      expect(errors).toHaveLength(2);
      expect(errors[0]).toBeInstanceOf(TableAccessDeniedError);
      expect(errors[1]).toBe(errors[0]);
      expect(await catalogue(dataSource, kind)).toEqual(before);
      expect(await tableNames(dataSource, kind)).toEqual(['billing_invoice', 'users']);
    });

    it('hands the migration no DataSource, driver, entity manager or Broadcaster to run statements around the guard', async () => {
      let seen: unknown[] = [];
      let connection: unknown;
      await runMigration(
        dataSource,
        migration(async (runner) => {
          seen = [runner.manager, (runner as unknown as { driver: unknown }).driver, runner.broadcaster];
          connection = runner.connection;
        }),
      );
      expect(seen).toEqual([undefined, undefined, undefined]);
      // Of the connection, only which database it is: a migration written for several asks that.
      expect(connection).toEqual({ options: { type: dataSource.options.type } });
      expect(Object.isFrozen(connection)).toBe(true);
    });

    if (kind === 'sqlite') {
      it("refuses a rename of its own table that rewrites a host table's foreign key (the schema comparison)", async () => {
        await runMigration(dataSource, CREATE_NOTE);
        await dataSource.query('CREATE TABLE audit (id integer PRIMARY KEY, note_id integer REFERENCES notes_note (id))');
        try {
          const before = await catalogue(dataSource, kind);
          const denial = await runMigration(dataSource, migration((runner) => runner.query('ALTER TABLE notes_note RENAME TO notes_tag'))).catch((error: unknown) => error);
          expect(denial).toBeInstanceOf(TableAccessDeniedError);
          expect((denial as TableAccessDeniedError).table).toBe('audit');
          expect(await catalogue(dataSource, kind)).toEqual(before);
        } finally {
          await dataSource.query('DROP TABLE audit');
        }
      });
    }

    if (kind === 'sqlite') {
      it("refuses to drop its table while a host table's foreign key would cascade into the host's rows", async () => {
        await runMigration(dataSource, CREATE_NOTE);
        await dataSource.query("INSERT INTO notes_note (id, title) VALUES (1, 'first')");
        await dataSource.query('CREATE TABLE audit (id integer PRIMARY KEY, note_id integer REFERENCES notes_note (id) ON DELETE CASCADE)');
        await dataSource.query('INSERT INTO audit (id, note_id) VALUES (1, 1)');
        try {
          const before = await catalogue(dataSource, kind);
          const denial = await runMigration(dataSource, migration((runner) => runner.dropTable('notes_note'))).catch((error: unknown) => error);
          expect(denial).toBeInstanceOf(TableAccessDeniedError);
          expect((denial as TableAccessDeniedError).table).toBe('audit');
          expect(await catalogue(dataSource, kind)).toEqual(before);
          expect(await dataSource.query('SELECT id, note_id FROM audit')).toEqual([{ id: 1, note_id: 1 }]);
        } finally {
          await dataSource.query('DROP TABLE audit');
        }
      });
    }

    if (kind === 'postgres') {
      it("gives the plugin's role its tables, which its raw SQL then reaches", async () => {
        await dataSource.query('CREATE TABLE notes_tag (id integer PRIMARY KEY, label varchar(20))');
        await dataSource.query("INSERT INTO notes_tag VALUES (1, 'kept')");
        await runMigration(
          dataSource,
          migration(async (runner) => {
            await runner.query(CREATE_NOTE_SQL);
            await runner.query("INSERT INTO notes_note (id, title) VALUES (1, 'first')");
            await runner.query('ALTER TABLE notes_tag ADD COLUMN note_id integer REFERENCES notes_note (id)');
          }),
        );
        const role = pluginRoleName(databaseNameOf(dataSource), 'notes');
        const owners = await dataSource.query(
          "SELECT relname, relowner::regrole::text AS owner FROM pg_class WHERE relname IN ('notes_note', 'notes_tag') ORDER BY relname",
        );
        expect(owners).toEqual([
          { relname: 'notes_note', owner: role },
          { relname: 'notes_tag', owner: role },
        ]);
        // CREATE on the schema lasted as long as each schema statement, no longer.
        expect(await dataSource.query("SELECT has_schema_privilege($1, 'public', 'CREATE') AS may", [role])).toEqual([{ may: false }]);
        const engine = new PostgresSqlEngine(dataSource);
        const guard = await SqlGuard.open('postgresql');
        const policy = new ResourceScope(METADATA, new ResourceOverridesStore()).policy;
        const scope = { pluginName: 'notes', policy, timeoutMs: 5000 };
        await engine.run(guard.prepare("INSERT INTO tag (id, label, note_id) VALUES (2, 'new', 1)", policy), scope);
        expect(await engine.run(guard.prepare('SELECT t.label, n.title FROM tag t JOIN note n ON n.id = t.note_id', policy), scope)).toEqual([
          { label: 'new', title: 'first' },
        ]);
        await expect(engine.run(guard.prepare('SELECT * FROM users', new ResourceScope({ ...METADATA, allowedTables: ['note', 'users'] }, new ResourceOverridesStore()).policy), scope)).rejects.toBeInstanceOf(TableAccessDeniedError);
        expect(await dataSource.query('SELECT label FROM notes_tag ORDER BY id')).toEqual([{ label: 'kept' }, { label: 'new' }]);
      });
    }
  });
}

async function tableNames(dataSource: DataSource, kind: DatabaseKind): Promise<string[]> {
  const sql =
    kind === 'sqlite'
      ? "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
      : "SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname";
  return ((await dataSource.query(sql)) as { name: string }[]).map((row) => row.name).filter((name) => name !== 'sqlite_sequence');
}

async function indexNames(dataSource: DataSource, kind: DatabaseKind, table: string): Promise<string[]> {
  const sql =
    kind === 'sqlite'
      ? "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1"
      : 'SELECT indexname AS name FROM pg_indexes WHERE tablename = $1';
  return ((await dataSource.query(sql.replace('$1', kind === 'sqlite' ? '?' : '$1'), [table])) as { name: string }[]).map((row) => row.name);
}

if (PG_URL === undefined) {
  describe.skip(`scoped migrations with an unprivileged application role: ${POSTGRES_SKIPPED}`, () => {
    it('hands existing tables to the plugin role and lends it CREATE', () => undefined);
  });
} else {
  /** docs/postgres-roles.md's production setup: the application logs in as an ordinary role (here with CREATEROLE) that owns the database. */
  describe('a plugin migration on PostgreSQL with an unprivileged application role', () => {
    const hostRole = `np_host_${randomBytes(4).toString('hex')}`;
    let database: TestDatabase;
    let databaseName: string;
    let dataSource: DataSource;

    beforeAll(async () => {
      await queryDatabase('postgres', `CREATE ROLE "${hostRole}" LOGIN NOSUPERUSER CREATEROLE NOCREATEDB`);
      database = await createTestDatabase('postgres');
      const url = new URL((database.connection as { url: string }).url);
      databaseName = url.pathname.slice(1);
      await queryDatabase('postgres', `ALTER DATABASE "${databaseName}" OWNER TO "${hostRole}"`);
      url.username = hostRole;
      dataSource = new DataSource({ type: 'postgres', url: url.toString() });
      await dataSource.initialize();
      await hostSchema(dataSource);
      // A plugin table the application created itself (by synchronize, say), before the plugin had migrations.
      await dataSource.query('CREATE TABLE notes_tag (id integer PRIMARY KEY, label varchar(20))');
      await dataSource.query("INSERT INTO notes_tag VALUES (1, 'kept')");
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await database?.drop();
      await dropPluginRoles(databaseName);
      await queryDatabase('postgres', `DROP ROLE IF EXISTS "${hostRole}"`);
    });

    it("hands the plugin's tables to its role, which the application and the plugin's raw SQL then reach", async () => {
      await runMigration(
        dataSource,
        migration(async (runner) => {
          await runner.createTable(new Table({ name: 'notes_note', columns: [{ name: 'id', type: 'integer', isPrimary: true }, { name: 'title', type: 'varchar' }] }));
          await runner.addColumn('notes_tag', new TableColumn({ name: 'note_id', type: 'integer', isNullable: true }));
          await runner.query("INSERT INTO notes_note (id, title) VALUES (1, 'first')");
        }),
      );
      const role = pluginRoleName(databaseName, 'notes');
      expect(await queryDatabase(databaseName, "SELECT relname, relowner::regrole::text AS owner FROM pg_class WHERE relname IN ('notes_note', 'notes_tag') ORDER BY relname")).toEqual([
        { relname: 'notes_note', owner: role },
        { relname: 'notes_tag', owner: role },
      ]);
      await dataSource.query('UPDATE notes_tag SET note_id = 1');
      const engine = new PostgresSqlEngine(dataSource);
      const policy = new ResourceScope(METADATA, new ResourceOverridesStore()).policy;
      const rows = await engine.run((await SqlGuard.open('postgresql')).prepare('SELECT t.label, n.title FROM tag t JOIN note n ON n.id = t.note_id', policy), {
        pluginName: 'notes',
        policy,
        timeoutMs: 5000,
      });
      expect(rows).toEqual([{ label: 'kept', title: 'first' }]);
    });

    it.each([
      ['alter a host table', 'ALTER TABLE users ADD COLUMN admin integer'],
      ['drop a host index (past the guard: PostgreSQL refuses it)', 'DROP INDEX users_name_idx'],
      ["create another plugin's table", 'CREATE TABLE billing_ledger (id integer)'],
    ])('refuses to %s', async (_, sql) => {
      const before = await catalogue(dataSource, 'postgres');
      await expect(runMigration(dataSource, migration((runner) => runner.query(sql)))).rejects.toBeInstanceOf(TableAccessDeniedError);
      expect(await catalogue(dataSource, 'postgres')).toEqual(before);
    });
  });
}
