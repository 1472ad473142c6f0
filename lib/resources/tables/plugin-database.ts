import type { Type } from '@nestjs/common';
import type { EntityMetadata, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { SqlEngine } from '../engines/sql-engine.interface.js';
import type { ResourceScope } from '../resource-scope.js';
import type { SqlGuard } from '../sql/sql-guard.js';
import { PluginDatabaseUnavailableError } from './plugin-database-unavailable.error.js';
import type { PluginEntityTables } from './plugin-entity-tables.js';
import type { ScopedDatabase } from './scoped-database.interface.js';

/** The database side of one plugin: its registered entities and its guarded raw SQL. */
export class PluginDatabase implements ScopedDatabase {
  private registration?: Promise<readonly EntityMetadata[]>;
  private metadatas: readonly EntityMetadata[] = [];
  private loadedEngine?: SqlEngine;

  constructor(
    private readonly scope: ResourceScope,
    private readonly entities: readonly Type<unknown>[],
    private readonly tables: PluginEntityTables | undefined,
    private readonly guard: SqlGuard | undefined,
    /** loads the application's engine on first use (see PluginResources) */
    private readonly engine: (() => Promise<SqlEngine>) | undefined,
    private readonly sqlTimeoutMs: number,
    private readonly assertValid: () => void,
  ) {}

  /**
   * Registers the plugin's entities once (the first repository injection or the plugin's
   * start, whichever comes first). Table names and allow-list are those in force now.
   */
  ready(): Promise<readonly EntityMetadata[]> {
    if (this.entities.length === 0) return Promise.resolve([]);
    this.registration ??= this.requireTables()
      .register(this.entities, this.scope.policy)
      .then((metadatas) => (this.metadatas = metadatas));
    return this.registration;
  }

  getRepository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    this.assertValid();
    const metadata = this.metadatas.find((candidate) => candidate.target === entity);
    if (metadata === undefined) throw this.scope.policy.denied('table', this.tableNameOf(entity));
    return this.tables!.dataSource.getRepository(entity);
  }

  /**
   * Not `async`: a repeated statement is the hot path, and each async layer that returns a promise
   * costs extra microtask turns; refusals still arrive as rejections.
   */
  executeQuery<T = any>(sql: string, params?: unknown[]): Promise<T> {
    try {
      this.assertValid();
      this.requireTables();
      const policy = this.scope.policy;
      const statements = this.guard!.prepare(sql, policy, params);
      const scope = { pluginName: this.scope.pluginName, policy, timeoutMs: this.sqlTimeoutMs };
      if (this.loadedEngine !== undefined) return this.loadedEngine.run<T>(statements, scope);
      return this.engine!().then((engine) => (this.loadedEngine = engine).run<T>(statements, scope));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Forgets the plugin's entity metadata; the tables and their rows stay. */
  close(): void {
    if (this.metadatas.length > 0) this.tables!.unregister(this.metadatas);
    this.metadatas = [];
  }

  /** The table an entity that is not the plugin's maps to, for the denial message. */
  private tableNameOf(entity: EntityTarget<unknown>): string {
    const dataSource = this.tables?.dataSource;
    if (dataSource?.hasMetadata(entity)) return dataSource.getMetadata(entity).tableName;
    return typeof entity === 'function' ? entity.name : String(entity);
  }

  private requireTables(): PluginEntityTables {
    if (this.tables === undefined) throw new PluginDatabaseUnavailableError(this.scope.pluginName);
    return this.tables;
  }
}
