import type { EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/** `ctx.database`: the plugin's own tables, under their real (prefixed or mapped) names. */
export interface ScopedDatabase {
  /** A TypeORM repository for one of the plugin's `entities`, as `@InjectPluginRepository` injects. */
  getRepository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T>;
  /**
   * Raw SQL on the plugin's allowed tables, written with the names the plugin uses. Every
   * table the SQL references is checked and renamed; parameters are bound (`?` on SQLite,
   * `$1` on PostgreSQL). Resolves to what the driver returns (rows for a SELECT).
   */
  executeQuery<T = any>(sql: string, params?: unknown[]): Promise<T>;
}
