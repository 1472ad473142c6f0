import type { DatabaseKind } from '../../../support/test-databases.js';

/**
 * Hand-written attacks on ctx.database.executeQuery, per class. `{SECRET}`, `{TABLE}` and
 * `{FILE}` are sent twice, about something that exists and something that does not: see
 * differential-probe.ts. The attacker is allowed `notes` (attacker_notes) only.
 */
export const HAND_WRITTEN_CASES: Record<string, Partial<Record<DatabaseKind, readonly string[]>>> = {
  'SQLite expr IN table (quotes, row values, catalogs)': {
    sqlite: [
      `SELECT id FROM notes WHERE 'x' IN "{TABLE}"`,
      `SELECT id FROM notes WHERE 'x' IN '{TABLE}'`,
      `SELECT id FROM notes WHERE (1, '{SECRET}') IN "victim_secrets"`,
      `SELECT id FROM notes WHERE (1, '{SECRET}') IN 'victim_secrets'`,
      `SELECT id FROM notes WHERE (1, '{SECRET}') IN victim_secrets`,
      `SELECT id FROM notes WHERE (1, '{SECRET}') IN secrets`,
      `SELECT id FROM notes WHERE (1, 'root', 'x') IN "host_accounts"`,
      `SELECT id FROM notes WHERE ('table', '{TABLE}', '{TABLE}', 2, 'x') IN sqlite_master`,
      `SELECT id FROM notes WHERE ('main', '{TABLE}', 'table', 2, 0, 0) IN pragma_table_list`,
      `UPDATE notes SET name = 'hit' WHERE (1, '{SECRET}') IN "victim_secrets" RETURNING name`,
    ],
  },
  'PostgreSQL functions taking a relation name, OID or path': {
    postgres: [
      `SELECT id FROM notes WHERE regclass('{TABLE}') IS NOT NULL`,
      `SELECT regclass('{TABLE}')::oid AS oid FROM notes`,
      `SELECT obj_description(regclass('victim_secrets'), 'pg_class') FROM notes`,
      `SELECT obj_description(to_regclass('public.victim_secrets'), 'pg_class')`,
      `SELECT brin_summarize_new_values('{TABLE}_pkey')`,
      `SELECT pg_relation_size('{TABLE}')`,
      `SELECT has_table_privilege('{TABLE}', 'SELECT')`,
      `SELECT pg_read_file('{FILE}')`,
      `SELECT pg_read_binary_file('{FILE}')`,
      `SELECT lo_import('{FILE}')`,
      `SELECT lo_get(lo_import('{FILE}'))`,
      `SELECT * FROM dblink('dbname=postgres', 'SELECT secret FROM host_accounts') AS t(secret text)`,
      `CREATE EXTENSION IF NOT EXISTS dblink`,
      `COPY notes TO PROGRAM 'touch /tmp/red-team-copy-program'`,
      `COPY (SELECT secret FROM host_accounts) TO '/tmp/red-team-copy-out'`,
      `COPY notes FROM '{FILE}'`,
      `SELECT query_to_xml('SELECT secret FROM host_accounts', true, true, '')`,
      `SELECT query_to_xml('SELECT secret FROM vault.secrets', true, true, '') FROM notes`,
      `SELECT host_secret()`,
      `SELECT public.host_secret() FROM notes`,
      `SELECT pg_get_functiondef('host_secret'::regproc)`,
      `SELECT set_config('role', 'postgres', false)`,
      `SET ROLE postgres; SELECT secret FROM host_accounts`,
      `RESET ROLE; SELECT secret FROM host_accounts`,
      `SET SESSION AUTHORIZATION postgres`,
      `SELECT * FROM pg_ls_dir('.')`,
    ],
  },
  'schema-qualified names': {
    sqlite: [`SELECT * FROM main.victim_secrets`, `SELECT * FROM "main"."host_accounts"`, `SELECT * FROM temp.sqlite_master`, `SELECT * FROM main.notes, main.victim_secrets`],
    postgres: [`SELECT * FROM public.victim_secrets`, `SELECT * FROM "public"."host_accounts"`, `SELECT * FROM vault.secrets`, `SELECT * FROM "vault"."secrets"`, `SELECT * FROM public.notes, vault.secrets`],
  },
  'quoting and case': {
    sqlite: [`SELECT * FROM [victim_secrets]`, 'SELECT * FROM `victim_secrets`', `SELECT * FROM "VICTIM_SECRETS"`, `SELECT * FROM Victim_Secrets`, `SELECT * FROM "SECRETS"`, `SELECT * FROM [host_accounts]`],
    postgres: [`SELECT * FROM "VICTIM_SECRETS"`, `SELECT * FROM VICTIM_SECRETS`, `SELECT * FROM "Secrets"`, `SELECT * FROM U&"victim_secrets"`, `SELECT * FROM U&"\\0068ost_accounts"`],
  },
  'comments inside identifiers and between tokens': {
    sqlite: [`SELECT * FROM victim_/**/secrets`, `SELECT * FROM "victim_/**/secrets"`, `SELECT * FROM notes/**/UNION/**/SELECT id, secret FROM victim_secrets`, `SELECT * FROM notes --\n, victim_secrets`],
    postgres: [`SELECT * FROM victim_/**/secrets`, `SELECT * FROM notes/**/UNION/**/SELECT id, secret FROM victim_secrets`, `SELECT * FROM notes /* nested /* comment */ */, host_accounts`, `SELECT * FROM notes --\n, host_accounts`],
  },
  'table-valued functions': {
    sqlite: [`SELECT * FROM pragma_table_info('{TABLE}')`, `SELECT * FROM pragma_table_list`, `SELECT * FROM pragma_index_list('{TABLE}')`, `SELECT * FROM json_each((SELECT json_group_array(secret) FROM victim_secrets))`, `SELECT name FROM pragma_database_list`],
    postgres: [`SELECT * FROM generate_series(1, 3)`, `SELECT * FROM jsonb_each((SELECT to_jsonb(h) FROM host_accounts h LIMIT 1))`, `SELECT * FROM unnest((SELECT array_agg(secret) FROM victim_secrets))`, `SELECT * FROM pg_options_to_table((SELECT reloptions FROM pg_class LIMIT 1))`],
  },
  'VACUUM INTO and ATTACH': {
    sqlite: [
      `VACUUM INTO 'red-team-vacuum-copy.sqlite'`,
      `VACUUM INTO '/tmp/red-team-vacuum-copy.sqlite'`,
      `VACUUM main INTO 'red-team-vacuum-main.sqlite'`,
      `ATTACH DATABASE 'red-team-attached.sqlite' AS pwn`,
      `ATTACH ':memory:' AS scratch`,
      `ATTACH DATABASE 'red-team-attached-2.sqlite' AS pwn2; CREATE TABLE pwn2.loot AS SELECT * FROM victim_secrets`,
      `DETACH DATABASE main`,
    ],
    postgres: [`VACUUM host_accounts`, `VACUUM FULL victim_secrets`, `ANALYZE host_accounts`],
  },
  'triggers, views and rules': {
    sqlite: [
      `CREATE TRIGGER wipe AFTER INSERT ON notes BEGIN UPDATE host_accounts SET secret = 'gone'; END`,
      `CREATE TEMP TRIGGER wipe AFTER INSERT ON notes BEGIN DELETE FROM victim_secrets; END`,
      `CREATE VIEW notes_view AS SELECT * FROM victim_secrets`,
      `CREATE TEMP VIEW loot AS SELECT secret FROM host_accounts`,
      `CREATE TABLE victim_shadow AS SELECT * FROM victim_secrets`,
      `DROP TABLE victim_secrets`,
    ],
    postgres: [
      `CREATE FUNCTION wipe() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM host_accounts; RETURN NEW; END $$`,
      `CREATE TRIGGER wipe AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION host_secret()`,
      `CREATE VIEW notes_view AS SELECT * FROM host_accounts`,
      `CREATE TEMP VIEW loot AS SELECT secret FROM vault.secrets`,
      `CREATE RULE wipe AS ON INSERT TO notes DO ALSO DELETE FROM host_accounts`,
      `CREATE TEMP TABLE host_accounts (id int, owner text, secret text)`,
      `ALTER TABLE victim_secrets OWNER TO CURRENT_USER`,
      `DROP TABLE victim_secrets`,
    ],
  },
  'savepoints and transactions': {
    sqlite: [`SAVEPOINT a; DELETE FROM host_accounts; RELEASE a`, `BEGIN; DELETE FROM victim_secrets; COMMIT`, `COMMIT; DELETE FROM host_accounts`, `ROLLBACK; UPDATE victim_secrets SET secret = 'x'`, `RELEASE a; DELETE FROM host_accounts`],
    postgres: [`SAVEPOINT a; DELETE FROM host_accounts; RELEASE SAVEPOINT a`, `BEGIN; DELETE FROM victim_secrets; COMMIT`, `COMMIT; DELETE FROM host_accounts`, `ROLLBACK; RESET ROLE; DELETE FROM host_accounts`, `END; DELETE FROM vault.secrets`],
  },
  'multiple statements': {
    sqlite: [`SELECT id FROM notes; SELECT secret FROM host_accounts`, `UPDATE notes SET name = 'x'; UPDATE host_accounts SET secret = 'x'`, `SELECT 1; DROP TABLE victim_secrets`, `INSERT INTO notes (name) SELECT secret FROM victim_secrets`],
    postgres: [`SELECT id FROM notes; SELECT secret FROM host_accounts`, `UPDATE notes SET name = 'x'; UPDATE host_accounts SET secret = 'x'`, `SELECT 1; DROP TABLE victim_secrets`, `INSERT INTO notes (name) SELECT secret FROM vault.secrets`, `DO $$ BEGIN DELETE FROM host_accounts; END $$`],
  },
  'catalogs': {
    sqlite: [`SELECT * FROM sqlite_master`, `SELECT sql FROM sqlite_schema`, `SELECT * FROM sqlite_temp_master`, `PRAGMA table_list`, `PRAGMA table_info({TABLE})`, `PRAGMA writable_schema = ON`, `SELECT * FROM sqlite_sequence`, `SELECT * FROM sqlite_dbpage`],
    postgres: [`SELECT * FROM pg_catalog.pg_tables`, `SELECT relname FROM pg_class`, `SELECT * FROM information_schema.tables`, `SELECT table_name FROM INFORMATION_SCHEMA.TABLES`, `SELECT * FROM pg_tables`, `SELECT description FROM pg_description`, `SELECT prosrc FROM pg_proc WHERE proname = 'host_secret'`, `SELECT * FROM pg_catalog.pg_authid`],
  },
  'CTEs shadowing names': {
    sqlite: [`WITH notes AS (SELECT * FROM victim_secrets) SELECT * FROM notes`, `WITH secrets AS (SELECT 1) SELECT * FROM secrets, host_accounts`, `WITH x AS (SELECT * FROM notes) SELECT secret FROM victim_secrets`, `WITH RECURSIVE notes(id, name) AS (SELECT id, secret FROM host_accounts) SELECT * FROM notes`, `WITH victim_secrets AS (SELECT * FROM notes) SELECT * FROM victim_secrets, main.victim_secrets`],
    postgres: [`WITH notes AS (SELECT * FROM victim_secrets) SELECT * FROM notes`, `WITH secrets AS (SELECT 1) SELECT * FROM secrets, host_accounts`, `WITH RECURSIVE notes(id, name) AS (SELECT id, secret FROM vault.secrets) SELECT * FROM notes`, `WITH victim_secrets AS (SELECT * FROM notes) SELECT * FROM victim_secrets, public.victim_secrets`],
  },
  'UNION-based exfiltration': {
    sqlite: [`SELECT id, name FROM notes UNION SELECT id, secret FROM victim_secrets`, `SELECT id, name FROM notes UNION ALL SELECT id, secret FROM "host_accounts"`, `SELECT id, name FROM notes WHERE 1 = 0 UNION SELECT 1, (SELECT secret FROM victim_secrets LIMIT 1)`, `SELECT id, name FROM notes UNION SELECT 1, name FROM sqlite_master`],
    postgres: [`SELECT id, name FROM notes UNION SELECT id, secret FROM victim_secrets`, `SELECT id, name FROM notes UNION ALL SELECT 1, secret FROM vault.secrets`, `SELECT id, name FROM notes WHERE 1 = 0 UNION SELECT 1, host_secret()`, `SELECT id, name FROM notes UNION SELECT 1, relname::text FROM pg_class`],
  },
  'names that exist and names that do not (no oracle)': {
    sqlite: [`SELECT * FROM {TABLE}`, `SELECT * FROM "{TABLE}"`, `DELETE FROM {TABLE} WHERE 0`, `SELECT * FROM notes JOIN {TABLE} ON 0`],
    postgres: [`SELECT * FROM {TABLE}`, `SELECT * FROM public.{TABLE}`, `DELETE FROM {TABLE} WHERE false`, `SELECT * FROM notes JOIN {TABLE} ON false`],
  },
};
