import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { PLUGIN_DATA_SOURCE, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginResourceOptions } from './resource-options.js';
import { LocalDirectoryStorageDriver } from './buckets/local-directory.storage-driver.js';
import { ScopedBuckets } from './buckets/scoped-buckets.js';
import type { StorageDriver } from './buckets/storage-driver.interface.js';
import { assertEngineNamesFit } from './names/engine-name-length.js';
import { policyEngineNames } from './names/policy-engine-names.js';
import { ResourceOverridesStore } from './resource-overrides.store.js';
import { validateResourceOverrides } from './resource-overrides.validator.js';
import { ResourcePolicy } from './resource-policy.js';
import { ResourceScope } from './resource-scope.js';
import type { SqlEngine } from './engines/sql-engine.interface.js';
import { PluginDatabase, type PluginSqlLimits, type SqlRuntime } from './tables/plugin-database.js';
import { PluginEntityTables } from './tables/plugin-entity-tables.js';
import { SqlConcurrencyLimit } from './tables/sql-concurrency-limit.js';
import type { SqlSizeLimits } from './tables/sql-size-limits.js';
import { InProcessTopicTransport } from './topics/in-process.topic-transport.js';
import { ScopedTopics } from './topics/scoped-topics.js';
import type { TopicTransport } from './topics/topic-transport.interface.js';
import { PluginMetrics } from '../observability/metrics/plugin-metrics.js';

/** How long a plugin's raw SQL statement may run unless `sqlTimeoutMs` says otherwise. */
const DEFAULT_SQL_TIMEOUT_MS = 5000;

/** The largest statement text and parameters (UTF-8 bytes) a plugin may send unless `maxSqlBytes` / `maxSqlParamBytes` say otherwise. */
const DEFAULT_MAX_SQL_BYTES = 65_536;
const DEFAULT_MAX_SQL_PARAM_BYTES = 1_048_576;

/** node-postgres' pool size when neither `poolSize` nor `extra.max` sets it. */
const DEFAULT_POSTGRES_POOL_SIZE = 10;

/** Where the default local storage driver keeps buckets, relative to the working directory. */
const DEFAULT_BUCKETS_DIRECTORY = 'data/buckets';

/**
 * The host side of scoped resources: the overrides in force, the application's DataSource,
 * the topic transport and the storage driver. Each plugin context asks it for its own
 * `database`, `topics` and `buckets`.
 */
@Injectable()
export class PluginResources implements OnApplicationShutdown {
  readonly overrides: ResourceOverridesStore;
  /** Registers entities with the application DataSource under chosen names; undefined without TypeORM. */
  readonly entityTables?: PluginEntityTables;
  private sqlRuntime?: Promise<SqlRuntime>;
  private sqlEngine?: Promise<SqlEngine>;
  private readonly sqlLimits: SqlSizeLimits & { readonly timeoutMs: number; readonly concurrency: number };
  private defaultTopicTransport?: TopicTransport;
  private defaultStorageDriver?: StorageDriver;

  constructor(
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginResourceOptions,
    @Inject(PLUGIN_DATA_SOURCE) private readonly dataSource: DataSource | null,
    @Optional() private readonly metrics: PluginMetrics = new PluginMetrics(),
  ) {
    for (const [pluginName, overrides] of Object.entries(options.overrides ?? {})) validateResourceOverrides(pluginName, overrides);
    this.sqlLimits = {
      timeoutMs: options.sqlTimeoutMs ?? DEFAULT_SQL_TIMEOUT_MS,
      maxSqlBytes: positiveInteger('maxSqlBytes', options.maxSqlBytes ?? DEFAULT_MAX_SQL_BYTES),
      maxSqlParamBytes: positiveInteger('maxSqlParamBytes', options.maxSqlParamBytes ?? DEFAULT_MAX_SQL_PARAM_BYTES),
      concurrency: positiveInteger('sqlConcurrency', options.sqlConcurrency ?? defaultSqlConcurrency(dataSource)),
    };
    this.overrides = new ResourceOverridesStore(options.overrides);
    if (dataSource !== null) this.entityTables = new PluginEntityTables(dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    // An engine that failed to load holds nothing to release; the query that wanted it saw the error.
    await this.sqlRuntime?.then(({ guard }) => guard.close(), () => undefined);
    await this.sqlEngine?.then((engine) => engine.close(), () => undefined);
  }

  /**
   * Refuses, before anything is registered, allowed tables whose real names (under the
   * overrides in force) the engine would truncate into another name. Entities (their tables,
   * indexes, constraints) are checked again when they are registered, which at boot comes first.
   */
  assertEngineNames(metadata: Readonly<PluginMetadata>): void {
    assertEngineNamesFit(metadata.name, policyEngineNames(new ResourcePolicy(metadata.name, metadata, this.overrides.get(metadata.name))));
  }

  scopeFor(metadata: Readonly<PluginMetadata>): ResourceScope {
    return new ResourceScope(metadata, this.overrides);
  }

  databaseFor(scope: ResourceScope, entities: readonly Type<unknown>[], assertValid: () => void): PluginDatabase {
    const sql = this.dataSource === null ? undefined : () => this.loadSqlRuntime(this.dataSource!);
    // PostgreSQL runs repositories under the plugin's role; SQLite's engine scopes raw SQL only.
    const engine = this.dataSource?.options.type === 'postgres' ? () => this.loadSqlEngine(this.dataSource!) : undefined;
    const { concurrency, ...limits } = this.sqlLimits;
    const sqlLimits: PluginSqlLimits = { ...limits, concurrency: concurrency === Infinity ? undefined : new SqlConcurrencyLimit(concurrency) };
    return new PluginDatabase(scope, entities, this.entityTables, sql, sqlLimits, assertValid, this.metrics.plugin(scope.pluginName), engine);
  }

  /**
   * One guard (and analysis cache) and one engine per application, for the DataSource's SQL
   * dialect. Loaded with the first raw SQL statement: the guard's rules and the engines (which
   * import TypeORM's values) cost a host that runs none nothing at import.
   */
  private loadSqlRuntime(dataSource: DataSource): Promise<SqlRuntime> {
    this.sqlRuntime ??= Promise.all([import('./sql/sql-guard.js'), this.loadSqlEngine(dataSource)]).then(async ([{ SqlGuard, sqlDialectOf }, engine]) => ({
      guard: await SqlGuard.open(sqlDialectOf(dataSource.options.type)),
      engine,
    }));
    return this.sqlRuntime;
  }

  /** The engine alone: repositories need it (PostgreSQL: the plugin's role) without the guard. */
  private loadSqlEngine(dataSource: DataSource): Promise<SqlEngine> {
    this.sqlEngine ??= Promise.all([import('./sql/sql-dialect.js'), import('./engines/create-sql-engine.js')]).then(([{ sqlDialectOf }, { createSqlEngine }]) =>
      createSqlEngine(dataSource, sqlDialectOf(dataSource.options.type)),
    );
    return this.sqlEngine;
  }

  /** What the SQL engine remembers of a plugin whose data was purged; nothing when no raw SQL ran yet. */
  async forgetPlugin(pluginName: string): Promise<void> {
    const runtime = await this.sqlRuntime?.catch(() => undefined);
    runtime?.engine.forget?.(pluginName);
  }

  topicsFor(scope: ResourceScope, assertValid: () => void): ScopedTopics {
    return new ScopedTopics(scope, this.topicTransport(), assertValid, this.metrics.plugin(scope.pluginName));
  }

  bucketsFor(scope: ResourceScope, assertValid: () => void): ScopedBuckets {
    return new ScopedBuckets(scope, this.storageDriver(), assertValid, this.metrics.plugin(scope.pluginName));
  }

  /** The transport topics go through: `forRoot({ topicTransport })` or the in-process one. */
  topicTransport(): TopicTransport {
    return this.options.topicTransport ?? (this.defaultTopicTransport ??= new InProcessTopicTransport());
  }

  /** Where bucket objects are kept: `forRoot({ storageDriver })` or the local directory. */
  storageDriver(): StorageDriver {
    return this.options.storageDriver ?? (this.defaultStorageDriver ??= new LocalDirectoryStorageDriver(resolve(DEFAULT_BUCKETS_DIRECTORY)));
  }
}

function positiveInteger(option: string, value: number): number {
  if (value === Infinity || (Number.isSafeInteger(value) && value > 0)) return value;
  throw new RangeError(`${option} must be a positive integer, got ${String(value)}`);
}

/**
 * A quarter of a PostgreSQL pool (at least one connection), so that one plugin's statements
 * leave the host most of it. SQLite: no cap, as its driver has one connection and runs each
 * statement to its end before the next, host's or plugin's, and the statements it cannot
 * bound queue for one child process.
 */
function defaultSqlConcurrency(dataSource: DataSource | null): number {
  const options = dataSource?.options as { type?: string; poolSize?: number; extra?: { max?: number } } | undefined;
  if (options?.type !== 'postgres') return Infinity;
  const pool = options.extra?.max ?? options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE;
  return Math.max(1, Math.floor(pool / 4));
}
