import { SqlNotAllowedError, TableAccessDeniedError } from '../../../../lib/errors/index.js';
import type { MigrationPolicy } from '../../../../lib/resources/sql/migration-statement.js';
import { SqlGuard, type SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';
import { loadPostgresParser } from '../../../../lib/resources/sql/postgres/load-postgres-parser.js';

/** Plugin `notes` owns `notes_note` and `notes_tag`; `billing_invoice` is another plugin's, `users` the host's. */
const OWN = new Set(['notes_note', 'notes_tag', 'temporary_notes_note']);
const policy: MigrationPolicy = {
  pluginName: 'notes',
  realTableNames: ['notes_note', 'notes_tag'],
  isOwnTable: (name) => OWN.has(name),
  isOwnSequence: (name) => name.startsWith('notes_'),
};

function verdict(guard: SqlGuard, sql: string): string {
  try {
    return guard.checkMigration(sql, policy);
  } catch (error) {
    if (error instanceof TableAccessDeniedError) return `denied ${error.table}`;
    if (error instanceof SqlNotAllowedError) return 'not allowed';
    throw error;
  }
}

// PostgreSQL guards need the parser, which a host loads with SqlGuard.open.
beforeAll(() => loadPostgresParser());

describe('SqlGuard migration mode', () => {
  describe.each<SqlDialect>(['sqlite', 'postgresql'])('%s: what TypeORM and migrations write on their own tables', (dialect) => {
    const guard = new SqlGuard(dialect);
    it.each([
      ['CREATE TABLE "notes_note" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar NOT NULL)', 'schema'],
      ['CREATE TABLE IF NOT EXISTS notes_tag (id int, note_id int REFERENCES notes_note(id) ON DELETE CASCADE)', 'schema'],
      ['ALTER TABLE "notes_note" ADD COLUMN "body" varchar NOT NULL DEFAULT (\'x\')', 'schema'],
      ['ALTER TABLE "notes_note" RENAME COLUMN "title" TO "heading"', 'schema'],
      ['ALTER TABLE "temporary_notes_note" RENAME TO "notes_note"', 'schema'],
      ['ALTER TABLE "notes_note" RENAME TO "notes_tag"', 'schema'],
      ['CREATE INDEX "IDX_1" ON "notes_note" ("heading")', 'schema'],
      ['CREATE UNIQUE INDEX IF NOT EXISTS idx_2 ON notes_note (heading) WHERE heading IS NOT NULL', 'schema'],
      ['DROP INDEX "IDX_1"', 'schema'],
      ['DROP TABLE "notes_note"', 'schema'],
      ['DROP TABLE IF EXISTS notes_note, notes_tag', 'schema'],
      ['INSERT INTO "temporary_notes_note"("id", "title") SELECT "id", "title" FROM "notes_note"', 'data'],
      ['UPDATE notes_note SET title = upper(title) WHERE id > 3', 'data'],
      ['DELETE FROM "notes_tag"', 'data'],
    ])('%s -> %s', (sql, kind) => {
      expect(verdict(guard, sql)).toBe(kind);
    });
  });

  describe.each<SqlDialect>(['sqlite', 'postgresql'])('%s: anything beyond them', (dialect) => {
    const guard = new SqlGuard(dialect);
    it.each([
      ['CREATE TABLE billing_invoice (id int)', 'denied billing_invoice'],
      ['CREATE TABLE "users" (id int)', 'denied users'],
      ['CREATE TABLE notes_x AS SELECT * FROM users', 'denied notes_x'],
      ['CREATE TABLE notes_note AS SELECT * FROM users', 'denied CREATE TABLE ... AS'],
      ['CREATE TABLE notes_note (id int REFERENCES users(id))', 'denied users'],
      ['CREATE TABLE notes_note (id int, FOREIGN KEY (id) REFERENCES "billing_invoice" ("id"))', 'denied billing_invoice'],
      ['CREATE TEMP TABLE notes_note (id int)', 'denied CREATE TEMP TABLE'],
      ['CREATE OR REPLACE VIEW notes_v AS SELECT 1', 'denied CREATE VIEW'],
      ['ALTER TABLE billing_invoice ADD COLUMN x int', 'denied billing_invoice'],
      ['ALTER TABLE "users" RENAME TO "notes_users"', 'denied users'],
      ['ALTER TABLE notes_note RENAME TO billing_invoice', 'denied billing_invoice'],
      ['ALTER TABLE notes_note ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id)', 'denied users'],
      ['DROP TABLE users', 'denied users'],
      ['DROP TABLE notes_note, billing_invoice', 'denied billing_invoice'],
      ['DROP TABLE notes_note CASCADE', 'denied CASCADE'],
      ['CREATE INDEX idx ON billing_invoice (id)', 'denied billing_invoice'],
      ['CREATE INDEX idx ON "users" (id)', 'denied users'],
      ['INSERT INTO billing_invoice (id) VALUES (1)', 'denied billing_invoice'],
      ['INSERT INTO notes_note (id) SELECT id FROM users', 'denied users'],
      ['UPDATE users SET name = 1', 'denied users'],
      ['DELETE FROM notes_note WHERE id IN (SELECT id FROM billing_invoice)', 'denied billing_invoice'],
      ['SELECT * FROM notes_note JOIN sqlite_master ON 1 = 1', dialect === 'sqlite' ? 'denied sqlite_master' : 'denied sqlite_master'],
      ['CREATE VIEW notes_v AS SELECT * FROM users', 'denied CREATE VIEW'],
      ['CREATE TRIGGER notes_t AFTER INSERT ON notes_note BEGIN DELETE FROM users; END', 'denied CREATE TRIGGER'],
      ['CREATE TRIGGER notes_t AFTER INSERT ON notes_note FOR EACH ROW EXECUTE FUNCTION f()', 'denied CREATE TRIGGER'],
      ['GRANT SELECT ON notes_note TO PUBLIC', 'denied GRANT SELECT'],
      ['VACUUM', 'denied VACUUM'],
      ['CREATE TABLE main.notes_x (id int)', dialect === 'sqlite' ? 'denied main.notes_x' : 'denied main.notes_x'],
      ['CREATE TABLE notes_note (id int); DROP TABLE users', 'not allowed'],
      ['BEGIN', 'denied BEGIN'],
      ['COMMIT', 'denied COMMIT'],
    ])('%s -> %s', (sql, expected) => {
      expect(verdict(guard, sql)).toBe(expected);
    });
  });

  describe('sqlite only', () => {
    const guard = new SqlGuard('sqlite');
    it.each([
      ['PRAGMA table_xinfo("notes_note")', 'catalog'],
      ['PRAGMA index_info("IDX_1")', 'catalog'],
      ['SELECT * FROM "sqlite_master" WHERE "type" = \'table\' AND "name" IN (\'notes_note\')', 'catalog'],
      ['SELECT * FROM "sqlite_master" WHERE "type" = \'table\' AND "name" = ?', 'catalog'],
      ['PRAGMA foreign_keys = OFF', 'denied PRAGMA foreign_keys'],
      ['PRAGMA writable_schema = 1', 'denied PRAGMA writable_schema'],
      ['PRAGMA main.table_info("users")', 'denied PRAGMA main'],
      ["ATTACH DATABASE '/tmp/x.db' AS x", 'denied ATTACH DATABASE'],
      ['SELECT * FROM sqlite_temp_master', 'denied sqlite_temp_master'],
      ['CREATE SEQUENCE notes_seq', 'denied CREATE SEQUENCE'],
      ["CREATE TABLE notes_note (a text DEFAULT (datetime('now')), b text DEFAULT (lower('X')))", 'schema'],
      ['CREATE INDEX i ON notes_note (lower(title))', 'schema'],
      ["CREATE TABLE notes_note (a text DEFAULT (load_extension('evil')))", 'denied load_extension()'],
      ['CREATE TABLE notes_note (a int CHECK (sqlite_offset(a) > 0))', 'denied sqlite_offset()'],
    ])('%s -> %s', (sql, expected) => {
      expect(verdict(guard, sql)).toBe(expected);
    });
  });

  describe('postgresql only', () => {
    const guard = new SqlGuard('postgresql');
    it.each([
      ['CREATE SEQUENCE "notes_counter"', 'schema'],
      ['CREATE SEQUENCE notes_counter OWNED BY notes_note.id', 'schema'],
      ['ALTER SEQUENCE "notes_note_id_seq" RENAME TO "notes_tag_id_seq"', 'schema'],
      ['DROP SEQUENCE notes_counter', 'schema'],
      ['DROP INDEX "public"."IDX_1"', 'schema'],
      ['CREATE TYPE "public"."notes_note_status_enum" AS ENUM(\'a\', \'b\')', 'schema'],
      ['ALTER TABLE "notes_note" RENAME CONSTRAINT "PK_1" TO "PK_2"', 'schema'],
      ['ALTER TABLE "notes_note" ADD "body" varchar NOT NULL DEFAULT \'x\', ALTER COLUMN "id" SET NOT NULL', 'schema'],
      ['COMMENT ON COLUMN "notes_note"."title" IS \'the title\'', 'schema'],
      ['SELECT version()', 'catalog'],
      ['SELECT * FROM current_schema()', 'catalog'],
      [
        'SELECT "table_schema", "table_name", obj_description((quote_ident("table_schema") || \'.\' || quote_ident("table_name"))::regclass, \'pg_class\') AS table_comment FROM "information_schema"."tables" WHERE ("table_schema" = \'public\' AND "table_name" = \'notes_note\')',
        'catalog',
      ],
      ['SELECT TRUE FROM information_schema.columns WHERE table_name = \'pg_class\' and column_name = \'relispartition\'', 'catalog'],
      ["SELECT setval('notes_note_id_seq', (SELECT max(id) FROM notes_note))", 'data'],
      ["SELECT setval('notes_note_id_seq', 10)", 'data'],
      ["INSERT INTO notes_note (id) VALUES (nextval('notes_counter'))", 'data'],
      ["SELECT setval('billing_invoice_id_seq', 1)", 'not allowed'],
      ["SELECT setval('billing_invoice_id_seq', (SELECT max(id) FROM notes_note))", 'not allowed'],
      ['SELECT set_config(\'role\', \'postgres\', false) FROM pg_class', 'not allowed'],
      ['SELECT pg_advisory_lock(1)', 'not allowed'],
      ['SELECT * FROM pg_class c JOIN users u ON true', 'denied pg_class'],
      ['CREATE SEQUENCE billing_seq', 'denied billing_seq'],
      ['CREATE SEQUENCE notes_s OWNED BY users.id', 'denied users'],
      ['ALTER SEQUENCE billing_invoice_id_seq RESTART', 'denied billing_invoice_id_seq'],
      ['ALTER SEQUENCE notes_s RENAME TO billing_s', 'denied billing_s'],
      ['DROP SEQUENCE billing_invoice_id_seq', 'denied billing_invoice_id_seq'],
      ['ALTER TABLE notes_note OWNER TO postgres', 'denied ALTER TABLE ... OWNER'],
      ['ALTER TABLE notes_note SET SCHEMA other', 'denied ALTER TABLE ... SET'],
      ['ALTER TABLE notes_note ENABLE TRIGGER ALL', 'denied ALTER TABLE ... ENABLE'],
      ['ALTER TABLE notes_note DROP COLUMN x CASCADE', 'denied CASCADE'],
      ['CREATE TABLE notes_tag (LIKE users)', 'denied users'],
      ['CREATE TABLE notes_tag () INHERITS (users)', 'denied users'],
      ['CREATE TABLE notes_tag PARTITION OF users FOR VALUES IN (1)', 'denied users'],
      ['CREATE TABLE other.notes_x (id int)', 'denied other.notes_x'],
      ['CREATE TABLE notes_tag (a text DEFAULT $$\'$$, b int REFERENCES users(id))', 'not allowed'],
      ['CREATE FUNCTION notes_f() RETURNS int AS \'SELECT count(*) FROM users\' LANGUAGE sql', 'denied CREATE FUNCTION'],
      ['CREATE OR REPLACE FUNCTION notes_f() RETURNS trigger AS \'begin return new; end\' LANGUAGE plpgsql', 'denied CREATE FUNCTION'],
      ['CREATE EXTENSION dblink', 'denied CREATE EXTENSION'],
      ['CREATE ROLE x', 'denied CREATE ROLE'],
      ['ALTER ROLE x SUPERUSER', 'denied ALTER ROLE'],
      ['SET ROLE postgres', 'denied SET ROLE'],
      ['RESET ROLE', 'denied RESET ROLE'],
      ['COPY notes_note TO \'/tmp/x\'', 'denied COPY NOTES_NOTE'],
      ['DO \'begin null; end\'', 'denied DO'],
      ['COMMENT ON ROLE x IS \'y\'', 'denied COMMENT ON ROLE'],
      ['COMMENT ON TABLE users IS \'y\'', 'denied users'],
      ['CREATE TYPE notes_t AS (a int)', 'denied CREATE TYPE'],
      ['CREATE RULE r AS ON INSERT TO notes_note DO ALSO DELETE FROM users', 'denied CREATE RULE'],
      ['ALTER INDEX idx SET TABLESPACE x', 'denied ALTER INDEX'],
      ['CREATE TABLE notes_note (id serial, at timestamptz DEFAULT now(), CHECK (length(title) > 0), title varchar(80))', 'schema'],
      ["CREATE TABLE notes_note (id int DEFAULT nextval('notes_note_id_seq'::regclass))", 'schema'],
      ['CREATE INDEX i ON notes_note USING gin (title) WITH (fastupdate = off)', 'schema'],
      ["CREATE TABLE notes_note (secret text DEFAULT pg_read_file('/etc/passwd'))", 'denied pg_read_file()'],
      ["CREATE TABLE notes_note (n int DEFAULT nextval('billing_invoice_id_seq'))", 'denied billing_invoice_id_seq'],
      ["ALTER TABLE notes_note ALTER COLUMN a SET DEFAULT current_setting('role')", 'denied current_setting()'],
      ['CREATE TABLE notes_note (a int CHECK (pg_sleep(10) IS NOT NULL))', 'denied pg_sleep()'],
    ])('%s -> %s', (sql, expected) => {
      expect(verdict(guard, sql)).toBe(expected);
    });
  });
});
