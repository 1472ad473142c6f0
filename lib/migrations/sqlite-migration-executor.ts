import { QueryResult, type QueryRunner } from 'typeorm';
import { TableAccessDeniedError } from '../errors/index.js';
import { ShadowSchema } from '../resources/engines/sqlite/shadow-schema.js';
import { bindable, type SqliteConnection } from '../resources/engines/sqlite/sqlite-connection.js';
import { foldName, SqliteSchemaSnapshot, type SchemaEntry } from '../resources/engines/sqlite/sqlite-schema-snapshot.js';
import { SqliteStatementVerifier } from '../resources/engines/sqlite/sqlite-statement-verifier.js';
import type { ResourcePolicy } from '../resources/resource-policy.js';
import type { MigrationPolicy, MigrationStatementKind } from '../resources/sql/migration-statement.js';
import { sqlTokens } from '../resources/sql/sql-tokens.js';
import type { MigrationExecutor } from './migration-executor.js';
import { migrationPolicy, realNamesPolicy } from './migration-policy.js';

/** Created by SQLite itself with the first AUTOINCREMENT table; shared by every table that has one. */
const SEQUENCE_TABLE = 'sqlite_sequence';

const STATEMENT_SAVEPOINT = 'np_migration_statement';

/** TypeORM rebuilds a SQLite table (to add, rename or drop a column) through a copy under this prefix. */
const REBUILD_PREFIX = 'temporary_';

/**
 * SQLite's last word on a migration. Data statements: the engine's verifier (the program
 * SQLite compiled stays inside the plugin's tables and allowed functions), as for raw SQL.
 * Catalogue reads (`sqlite_master`, introspection pragmas): answered by a copy of the
 * plugin's own tables only, so they see nothing else. Schema statements: `sqlite_schema` is
 * read before and after, inside the migration's transaction; an entry created, changed or
 * removed that is not a table or index of the plugin's (a rename that rewrote another table's
 * foreign key, say) fails the statement with TableAccessDeniedError, and the caller's
 * rollback undoes it.
 */
export class SqliteMigrationExecutor implements MigrationExecutor {
  private constructor(
    private readonly runner: QueryRunner,
    private readonly connection: SqliteConnection,
    readonly policy: MigrationPolicy,
    private readonly verifierPolicy: ResourcePolicy,
    private readonly own: ReadonlySet<string>,
  ) {}

  /**
   * The `temporary_<table>` copies count as the plugin's own only when no such table exists
   * yet: an existing one belongs to someone else (another plugin may be called `temporary`).
   */
  static open(runner: QueryRunner, policy: ResourcePolicy): SqliteMigrationExecutor {
    const connection = (runner.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    const existing = new Set(SqliteSchemaSnapshot.read(connection).entries.map((entry) => foldName(entry.name)));
    const copies = policy.realTableNames.map((name) => REBUILD_PREFIX + name).filter((name) => !existing.has(foldName(name)));
    const realNames = [...policy.realTableNames, ...copies];
    return new SqliteMigrationExecutor(
      runner,
      connection,
      migrationPolicy(policy, copies),
      realNamesPolicy(policy.pluginName, realNames),
      new Set(realNames.map(foldName)),
    );
  }

  async run(kind: MigrationStatementKind, sql: string, params: unknown[] | undefined, structured: boolean | undefined): Promise<unknown> {
    if (kind === 'catalog') return this.readCatalog(sql, params ?? [], structured);
    if (kind === 'data') {
      const verifier = new SqliteStatementVerifier(this.connection);
      try {
        verifier.verify({ sql, params: params ?? [] }, { pluginName: this.policy.pluginName, policy: this.verifierPolicy, timeoutMs: 0 });
      } finally {
        verifier.close();
      }
      return this.runner.query(sql, params, structured as true);
    }
    if (isDropTable(sql)) this.refuseCascadingDrop();
    const before = schemaEntries(this.connection);
    // A savepoint around the statement, so that a refused one is undone here even if the migration catches the error and commits.
    this.connection.exec(`SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    try {
      const result = await this.runner.query(sql, params, structured as true);
      const reached = this.reachedBeyond(before, schemaEntries(this.connection));
      if (reached !== undefined) {
        this.connection.exec(`ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}`);
        throw new TableAccessDeniedError(this.policy.pluginName, reached, this.policy.realTableNames);
      }
      return result;
    } finally {
      this.connection.exec(`RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`);
    }
  }

  /**
   * With foreign keys on, DROP TABLE first deletes the table's rows, and ON DELETE actions of
   * another table's foreign keys then change that table's rows (which the schema comparison
   * cannot see): refused while any table outside the plugin's references one of its tables.
   */
  private refuseCascadingDrop(): void {
    if (Number(this.connection.prepare('PRAGMA foreign_keys').pluck().get()) !== 1) return;
    const references = this.connection.prepare(FOREIGN_KEYS).all() as { name: string; target: string }[];
    const outside = references.find(({ name, target }) => !this.own.has(foldName(name)) && this.own.has(foldName(target)));
    if (outside !== undefined) throw new TableAccessDeniedError(this.policy.pluginName, outside.name, this.policy.realTableNames);
  }

  private readCatalog(sql: string, params: readonly unknown[], structured: boolean | undefined): unknown {
    const snapshot = SqliteSchemaSnapshot.read(this.connection);
    const shadow = ShadowSchema.build(this.connection, snapshot.definitionsOf(this.own, true), this.own);
    try {
      const rows = shadow.connection.prepare(sql).all(...bindable(params));
      return structured ? Object.assign(new QueryResult(), { raw: rows, records: rows }) : rows;
    } finally {
      shadow.close();
    }
  }

  /** The first entry that changed and is not a table or index of the plugin's, as the table it belongs to. */
  private reachedBeyond(before: ReadonlyMap<string, SchemaEntry>, after: ReadonlyMap<string, SchemaEntry>): string | undefined {
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const old = before.get(key);
      const now = after.get(key);
      if (old !== undefined && now !== undefined && old.tbl_name === now.tbl_name && old.sql === now.sql) continue;
      for (const entry of [old, now]) {
        if (entry === undefined) continue;
        const ownObject = (entry.type === 'table' || entry.type === 'index') && this.own.has(foldName(entry.tbl_name));
        if (!ownObject && !(entry.type === 'table' && foldName(entry.name) === SEQUENCE_TABLE)) return entry.tbl_name;
      }
    }
    return undefined;
  }
}

/** Every foreign key of the main database: the table that has it and the table it references. */
const FOREIGN_KEYS = `SELECT m.name AS name, f."table" AS target FROM main.sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`;

function isDropTable(sql: string): boolean {
  const [verb, kind] = sqlTokens(sql, 'sqlite');
  return verb?.kind === 'word' && verb.value === 'drop' && kind?.kind === 'word' && kind.value === 'table';
}

/** The main database's schema entries by type and name; root pages left out, as dropping a table moves others' under auto-vacuum. */
function schemaEntries(connection: SqliteConnection): Map<string, SchemaEntry> {
  const entries = connection.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_schema').all() as SchemaEntry[];
  return new Map(entries.map((entry) => [`${entry.type}:${foldName(entry.name)}`, entry]));
}
