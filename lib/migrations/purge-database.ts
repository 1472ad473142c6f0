import type { DataSource, QueryRunner } from 'typeorm';
import { dropPluginRole } from '../resources/engines/postgres/plugin-roles.js';
import { SHARED_DATA_TABLE } from '../services/shared-data/shared-data.table-names.js';
import { MIGRATIONS_TABLE } from './migration-ledger.statements.js';
import { ownPrefix } from './purge-plan.js';

/** What purging a plugin removed from the database. */
export interface PurgedDatabase {
  readonly tables: string[];
  /** free-standing sequences (those behind serial and identity columns go with their tables) */
  readonly sequences: string[];
  /** PostgreSQL enum types of the plugin's columns */
  readonly types: string[];
  /** PostgreSQL: the plugin's role, when it had one */
  readonly role?: string;
  readonly sharedDataRows: number;
  readonly migrationRows: number;
  /** what it may not remove: a role the application may not drop */
  readonly kept: readonly string[];
}

/**
 * Removes the plugin's objects and rows from the database, all in one transaction, so a failure
 * (another table's foreign key into one of the plugin's, a role the host may not drop) leaves
 * the database as it was. The plugin's objects are every table, sequence and enum type named
 * `<plugin>_…` in the current schema (whatever version created them), its shared-data rows
 * (every tenant), its PostgreSQL role (when the application may drop roles) and its rows in
 * `plugin_migrations`, last.
 */
export async function purgeDatabase(dataSource: DataSource, pluginName: string): Promise<PurgedDatabase> {
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.startTransaction();
    try {
      const objects = dataSource.options.type === 'postgres' ? await dropPostgresObjects(runner, pluginName) : await dropSqliteObjects(runner, pluginName);
      const sharedDataRows = await deleteRows(runner, SHARED_DATA_TABLE, 'owner_id', pluginName);
      const role = dataSource.options.type === 'postgres' ? await dropPluginRole((sql, params) => runner.query(sql, params), pluginName) : undefined;
      const migrationRows = await deleteRows(runner, MIGRATIONS_TABLE, 'plugin', pluginName);
      await runner.commitTransaction();
      const kept = role === undefined || role.dropped ? [] : [`role "${role.role}" (the application may not drop roles: an operator runs DROP OWNED BY "${role.role}"; DROP ROLE "${role.role}";)`];
      return { ...objects, ...(role?.dropped ? { role: role.role } : {}), sharedDataRows, migrationRows, kept };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}

type DroppedObjects = Pick<PurgedDatabase, 'tables' | 'sequences' | 'types'>;

/**
 * Tables in one statement, without CASCADE: PostgreSQL settles the order among them, and a
 * foreign key from anyone else's table refuses the whole purge rather than being dropped.
 */
async function dropPostgresObjects(runner: QueryRunner, pluginName: string): Promise<DroppedObjects> {
  const prefix = ownPrefix(pluginName);
  const named = (kinds: string) =>
    namesOf(
      runner,
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN (${kinds}) AND left(c.relname, $1) = $2 ORDER BY c.relname`,
      [prefix.length, prefix],
    );
  const tables = await named(`'r', 'p'`);
  if (tables.length > 0) await runner.query(`DROP TABLE IF EXISTS ${tables.map(quoted).join(', ')}`);
  // What is left is not owned by a dropped column: created by a migration of the plugin's.
  const sequences = await named(`'S'`);
  if (sequences.length > 0) await runner.query(`DROP SEQUENCE IF EXISTS ${sequences.map(quoted).join(', ')}`);
  const types = await namesOf(
    runner,
    `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() AND t.typtype = 'e' AND left(t.typname, $1) = $2 ORDER BY t.typname`,
    [prefix.length, prefix],
  );
  if (types.length > 0) await runner.query(`DROP TYPE IF EXISTS ${types.map(quoted).join(', ')}`);
  return { tables, sequences, types };
}

/**
 * SQLite checks foreign keys when a table is dropped (an implicit DELETE): deferred to the
 * commit, the plugin's tables may go in any order, and a row of another table that still points
 * into one of them fails the commit. `sqlite_sequence` forgets a dropped table by itself.
 */
async function dropSqliteObjects(runner: QueryRunner, pluginName: string): Promise<DroppedObjects> {
  const prefix = ownPrefix(pluginName);
  const tables = await namesOf(runner, `SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY name`, [
    prefix.length,
    prefix,
  ]);
  if (tables.length > 0) await runner.query('PRAGMA defer_foreign_keys = ON');
  for (const table of tables) await runner.query(`DROP TABLE IF EXISTS ${quoted(table)}`);
  return { tables, sequences: [], types: [] };
}

/** The `name` column of each row. */
async function namesOf(runner: QueryRunner, sql: string, params: unknown[]): Promise<string[]> {
  return ((await runner.query(sql, params)) as { name: string }[]).map((row) => row.name);
}

/** Deletes the plugin's rows of a host table, when the table exists; how many. */
async function deleteRows(runner: QueryRunner, table: string, column: string, pluginName: string): Promise<number> {
  if (!(await runner.hasTable(table))) return 0;
  const parameter = runner.connection.driver.createParameter('plugin', 0);
  const result = await runner.query(`DELETE FROM ${quoted(table)} WHERE ${quoted(column)} = ${parameter}`, [pluginName], true);
  return result.affected ?? 0;
}

/** A double-quoted identifier, as both PostgreSQL and SQLite read one. */
function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
