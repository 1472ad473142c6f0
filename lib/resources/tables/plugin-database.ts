import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { PluginSqlScope, SqlEngine } from '../engines/sql-engine.interface.js';
import type { ResourceScope } from '../resource-scope.js';
import { LONG_SQL_CHARS } from '../sql/long-sql.js';
import type { SqlGuard } from '../sql/sql-guard.js';
import { observeStatement } from '../../observability/observed-work.js';
import { entityTargetOf, isEntitySchema, type PluginEntity } from '../../metadata/entity-schema.js';
import { PluginDatabaseUnavailableError } from './plugin-database-unavailable.error.js';
import type { PluginEntityTables } from './plugin-entity-tables.js';
import type { ScopedDatabase } from '../../interfaces/facets/database.facet.js';
import type { SqlConcurrencyLimit } from './sql-concurrency-limit.js';
import { assertSqlSize, type SqlSizeLimits } from './sql-size-limits.js';
import { MeteredStatements } from '../../observability/metrics/metered-statement.js';
import { PluginMeter } from '../../observability/metrics/plugin-meter.js';

/** What runs a plugin's raw SQL: the guard (parse, check, rewrite) and the engine (the database's last word). */
export interface SqlRuntime {
  readonly guard: SqlGuard;
  readonly engine: SqlEngine;
}

/** The bounds of one plugin's raw SQL, from `forRoot`. */
export interface PluginSqlLimits extends SqlSizeLimits {
  /** `sqlTimeoutMs` */
  readonly timeoutMs: number;
  /** `sqlConcurrency`; undefined: no cap */
  readonly concurrency?: SqlConcurrencyLimit;
}

/** The database side of one plugin: its registered entities and its guarded raw SQL. */
export class PluginDatabase implements ScopedDatabase {
  #registration: Promise<readonly EntityMetadata[]> | undefined;
  #metadatas: readonly EntityMetadata[] = [];
  #loadedSql: SqlRuntime | undefined;
  /** PostgreSQL: the view of the DataSource whose statements run under the plugin's role; else the DataSource itself */
  #repositorySource: DataSource | undefined;
  #sqlScope: PluginSqlScope | undefined;

  readonly #scope: ResourceScope;
  readonly #entities: readonly PluginEntity[];
  readonly #tables: PluginEntityTables | undefined;
  /** loads the application's guard and engine with the first statement (see PluginResources) */
  readonly #sql: (() => Promise<SqlRuntime>) | undefined;
  readonly #limits: PluginSqlLimits;
  readonly #assertValid: () => void;
  readonly #statements: MeteredStatements;
  /** the engine alone, where it scopes repositories too (PostgreSQL) */
  readonly #engine: (() => Promise<SqlEngine>) | undefined;

  constructor(
    scope: ResourceScope,
    entities: readonly PluginEntity[],
    tables: PluginEntityTables | undefined,
    sql: (() => Promise<SqlRuntime>) | undefined,
    limits: PluginSqlLimits,
    assertValid: () => void,
    meter: PluginMeter = new PluginMeter(scope.pluginName, false, undefined),
    engine?: () => Promise<SqlEngine>,
  ) {
    this.#statements = new MeteredStatements(meter.sql);
    this.#engine = engine;
    this.#scope = scope;
    this.#entities = entities;
    this.#tables = tables;
    this.#sql = sql;
    this.#limits = limits;
    this.#assertValid = assertValid;
  }

  /**
   * Registers the plugin's entities once (the first repository injection or the plugin's
   * start, whichever comes first). Table names and allow-list are those in force now.
   */
  ready(): Promise<readonly EntityMetadata[]> {
    if (this.#entities.length === 0) return Promise.resolve([]);
    this.#registration ??= this.requireTables()
      .register(this.#entities, this.#scope.policy)
      .then(async (metadatas) => {
        const engine = await this.#engine?.();
        this.#repositorySource = engine?.repositoryDataSource?.(() => this.sqlScope());
        return (this.#metadatas = metadatas);
      });
    return this.#registration;
  }

  getRepository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    this.#assertValid();
    // A schema of the plugin's (a described plugin's stand-in) is keyed by its own target class.
    const target = isEntitySchema(entity) ? entityTargetOf(entity) : entity;
    const metadata = this.#metadatas.find((candidate) => candidate.target === target);
    if (metadata === undefined) throw this.#scope.policy.denied('table', this.tableNameOf(entity));
    return (this.#repositorySource ?? this.#tables!.dataSource).getRepository<T>(target as EntityTarget<T>);
  }

  /**
   * Not `async`: a repeated statement is the hot path, and each async layer that returns a promise
   * costs extra microtask turns; refusals still arrive as rejections.
   */
  executeQuery<T = any>(sql: string, params?: unknown[]): Promise<T> {
    return observeStatement(this.#scope.pluginName, sql, this.#statements, this.#executeScoped as (sql: string, params: unknown[] | undefined) => Promise<T>, params);
  }

  /** Throws what it refuses before the engine (the statement hook notes it without a reaction). Bound once: no closure per statement. */
  readonly #executeScoped = (sql: string, params: unknown[] | undefined): Promise<unknown> => {
    this.#assertValid();
    this.requireTables();
    assertSqlSize(this.#scope.pluginName, sql, params, this.#limits);
    const concurrency = this.#limits.concurrency;
    if (concurrency === undefined) return this.runLoaded(sql, params);
    return concurrency.run(() => this.runLoaded(sql, params));
  };

  private runLoaded<T>(sql: string, params: unknown[] | undefined): Promise<T> {
    if (this.#loadedSql !== undefined) return this.run<T>(this.#loadedSql, sql, params);
    return this.#sql!().then((runtime) => this.run<T>((this.#loadedSql = runtime), sql, params));
  }

  private run<T>({ guard, engine }: SqlRuntime, sql: string, params: unknown[] | undefined): Promise<T> {
    const scope = this.sqlScope();
    const policy = scope.policy;
    if (sql.length < LONG_SQL_CHARS) return engine.run<T>(guard.prepare(sql, policy, params), scope);
    // A long text's analysis and the engine's verification each take a while: let the host's own work run between them.
    return guard
      .prepareLong(sql, policy, params, scope.timeoutMs)
      .then((statements) => new Promise<void>((resolve) => setImmediate(resolve)).then(() => engine.run<T>(statements, scope)));
  }

  /** Forgets the plugin's entity metadata; the tables and their rows stay. */
  close(): void {
    if (this.#metadatas.length > 0) this.#tables!.unregister(this.#metadatas);
    this.#metadatas = [];
    this.#repositorySource = undefined;
  }

  /** Who runs the plugin's statements, under the policy in force now (the same object while the policy stands). */
  private sqlScope(): PluginSqlScope {
    const policy = this.#scope.policy;
    if (this.#sqlScope?.policy !== policy) this.#sqlScope = { pluginName: this.#scope.pluginName, policy, timeoutMs: this.#limits.timeoutMs };
    return this.#sqlScope;
  }

  /** The table an entity that is not the plugin's maps to, for the denial message. */
  private tableNameOf(entity: EntityTarget<unknown>): string {
    const dataSource = this.#tables?.dataSource;
    if (dataSource?.hasMetadata(entity)) return dataSource.getMetadata(entity).tableName;
    return typeof entity === 'function' ? entity.name : String(entity);
  }

  private requireTables(): PluginEntityTables {
    if (this.#tables === undefined) throw new PluginDatabaseUnavailableError(this.#scope.pluginName);
    return this.#tables;
  }
}
