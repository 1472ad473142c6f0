import type { QueryRunner } from 'typeorm';
import { SqlNotAllowedError, TableAccessDeniedError } from '../errors/index.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import type { MigrationPolicy } from '../resources/sql/migration-statement.js';
import { foldIdentifier } from '../resources/sql/sql-ast.js';
import { DEFAULT_SCHEMA } from '../resources/sql/sql-dialect.js';
import { SqlGuard, sqlDialectOf, type SqlDialect } from '../resources/sql/sql-guard.js';
import type { MigrationExecutor } from './migration-executor.js';
import { PostgresMigrationExecutor } from './postgres-migration-executor.js';
import { SqliteMigrationExecutor } from './sqlite-migration-executor.js';

/** The protected method through which every schema builder call reads a table's definition. */
interface TableLoader {
  loadTables(paths?: string[]): Promise<unknown[]>;
}

/** The base query runner's nesting counter: commits and rollbacks at the migration's own depth would end the runner's transaction. */
interface TransactionDepth {
  readonly transactionDepth: number;
}

/**
 * The QueryRunner a plugin's migration receives: `queryRunner` (of the application's
 * DataSource, its transaction started) seen through the guard's migration mode. Every
 * statement, whether the migration sends it with `query()` or TypeORM's schema builder
 * (`createTable`, `addColumn`, `renameColumn`, `createIndex`, `dropTable`...) builds it, is
 * checked (TableAccessDeniedError beyond the plugin's own tables, indexes and sequences) and
 * run by the engine on the caller's transaction: under the plugin's role on PostgreSQL, with
 * the schema compared before and after on SQLite. The caller commits or rolls back
 * `queryRunner` itself; the migration may nest transactions (savepoints) but not end the
 * caller's, release the connection, or reach the DataSource, driver, entity manager or
 * connection through this runner: it offers the schema builder, `query`, its state and
 * `connection.options.type`.
 */
export async function scopeMigrationQueryRunner(queryRunner: QueryRunner, scope: ResourceScope): Promise<QueryRunner> {
  const dialect = sqlDialectOf(queryRunner.connection.options.type);
  const policy = scope.policy;
  const executor: MigrationExecutor =
    dialect === 'sqlite' ? SqliteMigrationExecutor.open(queryRunner, policy) : await PostgresMigrationExecutor.open(queryRunner, policy);
  const guard = await SqlGuard.open(dialect);
  // The first refusal stands for every later statement: a migration that catches it cannot carry on as if it had passed.
  let refusal: unknown;
  const refused = (error: unknown): Promise<never> => {
    if (error instanceof TableAccessDeniedError || error instanceof SqlNotAllowedError) refusal ??= error;
    return Promise.reject(error);
  };
  const query = (sql: unknown, params?: unknown[], structured?: boolean): Promise<unknown> => {
    try {
      if (refusal !== undefined) throw refusal;
      if (typeof sql !== 'string') throw new SqlNotAllowedError(policy.pluginName, 'the statement is not a string');
      return executor.run(guard.checkMigration(sql, executor.policy), sql, params, structured).catch(refused);
    } catch (error) {
      return refused(error);
    }
  };
  return guardedRunner(queryRunner, executor.policy, query, ownTablePath(executor.policy, dialect));
}

/**
 * The table a schema builder call names, if it is one of the plugin's; TableAccessDeniedError
 * otherwise. Checked before TypeORM reads the catalogues, so that `addColumn('users', ...)`
 * is refused as such rather than as a table it cannot find.
 */
function ownTablePath(policy: MigrationPolicy, dialect: SqlDialect): (path: string) => string {
  return (path) => {
    const parts = String(path).split('.');
    const name = parts[parts.length - 1]!;
    const schemaAllowed = parts.length === 1 || (parts.length === 2 && foldIdentifier(parts[0]!) === DEFAULT_SCHEMA[dialect]);
    if (!schemaAllowed || !policy.isOwnTable(foldIdentifier(name))) throw new TableAccessDeniedError(policy.pluginName, String(path), policy.realTableNames);
    return name;
  };
}

/** What the migration may read of the runner beside its methods: state, not the objects behind it. */
const VISIBLE_STATE: ReadonlySet<PropertyKey> = new Set(['isReleased', 'isTransactionActive', 'data']);

/**
 * Two views of `target`. The inner one is `target` with the guarded `query` (and the
 * transaction and connection methods replaced): TypeORM's schema builder methods run with it
 * as `this`, so their statements go through `query`, and they keep the DataSource and driver
 * they need. The outer one, which the migration receives, offers those methods and a little
 * state only, and of the connection its `options.type`: no DataSource, driver, entity manager
 * or connection, through which statements would run unchecked.
 */
function guardedRunner(
  target: QueryRunner,
  policy: MigrationPolicy,
  query: (sql: unknown, params?: unknown[], structured?: boolean) => Promise<unknown>,
  ownTable: (path: string) => string,
): QueryRunner {
  const pluginName = policy.pluginName;
  const loadTables = (target as unknown as TableLoader).loadTables;
  const baseDepth = (target as unknown as TransactionDepth).transactionDepth;
  const refuse = (what: string) => () => Promise.reject(new SqlNotAllowedError(pluginName, `a migration may not ${what}`));
  const nested = (end: () => Promise<void>) => () =>
    (target as unknown as TransactionDepth).transactionDepth > baseDepth ? end() : refuse('end the transaction it runs in (the plugin host commits or rolls it back)')();
  const overrides: Record<PropertyKey, unknown> = {
    query,
    startTransaction: () => (target.isTransactionActive ? target.startTransaction() : refuse('run outside a transaction')()),
    commitTransaction: nested(() => target.commitTransaction()),
    rollbackTransaction: nested(() => target.rollbackTransaction()),
    release: refuse('release its connection'),
    connect: refuse("use the driver's connection"),
    stream: refuse('stream a query'),
    // Without names TypeORM would load every table of the database: the plugin's are all it may see.
    loadTables: async (paths?: string[]) => loadTables.call(inner, paths === undefined ? [...policy.realTableNames] : paths.map(ownTable)),
    // better-sqlite3's runner reads pragmas on the driver's connection: send them through `query` instead.
    loadPragmaRecords: async (path: string, pragma: string) => query(`PRAGMA ${pragma}("${ownTable(path)}")`),
  };
  const inner: QueryRunner = new Proxy(target, {
    get(runner, key, receiver) {
      return Object.hasOwn(overrides, key) ? overrides[key] : Reflect.get(runner, key, receiver);
    },
  });
  // Migrations written for several databases ask which one they run on; that is all they see of the connection.
  const connection = Object.freeze({ options: Object.freeze({ type: target.connection.options.type }) });
  return new Proxy(target, {
    get(runner, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key];
      if (key === 'connection') return connection;
      const value: unknown = Reflect.get(runner, key, inner);
      if (typeof value === 'function') return (value as (...args: unknown[]) => unknown).bind(inner);
      return VISIBLE_STATE.has(key) ? value : undefined;
    },
    set: () => false,
  });
}
