import sqlParser from 'node-sql-parser';
import { SqlNotAllowedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { analyzeSql, type SqlAnalysis } from './analyze-sql.js';
import type { PreparedStatement } from './prepared-statement.js';
import { rewriteTableNames } from './rewrite-table-names.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlRefusal } from './sql-refusal.js';

export { sqlDialectOf, type SqlDialect } from './sql-dialect.js';

const { Parser } = sqlParser;

const DEFAULT_CACHE_SIZE = 500;

/** One SQL string's analysis (or why it is refused) and its rewritten statements per policy seen. */
interface CachedSql {
  readonly outcome: SqlAnalysis | SqlRefusal;
  /** Policies are immutable and replaced when overrides change, so an entry is never stale. */
  readonly prepared: WeakMap<ResourcePolicy, readonly string[]>;
}

/**
 * The check behind `ctx.database.executeQuery`: parses a plugin's raw SQL, refuses anything but
 * plain data access to its allowed tables, and returns the statements to run with real table
 * names and the caller's parameters (`?` in SQLite, `$1` in PostgreSQL) left in place.
 */
export class SqlGuard {
  private readonly parser = new Parser();
  private readonly cache = new Map<string, CachedSql>();
  private readonly cacheSize: number;

  constructor(
    private readonly dialect: SqlDialect,
    options: { cacheSize?: number } = {},
  ) {
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 1) throw new RangeError(`cacheSize must be a positive integer, got ${this.cacheSize}`);
  }

  /**
   * The statements to run, with real table names and the caller's `params` to bind. Throws
   * TableAccessDeniedError or SqlNotAllowedError naming `policy.pluginName`. A repeated query
   * costs two lookups; denials are never cached, so each policy is checked on its own.
   */
  prepare(sql: string, policy: ResourcePolicy, params: readonly unknown[] = []): PreparedStatement[] {
    const cached = this.cache.get(sql) ?? this.analyze(sql);
    const statements = cached.prepared.get(policy) ?? this.rewrite(cached, policy);
    if (statements.length === 1) return [{ sql: statements[0]!, params }];
    if (params.length > 0) {
      throw new SqlNotAllowedError(policy.pluginName, 'parameters cannot be bound to several statements; run them one at a time');
    }
    return statements.map((statement) => ({ sql: statement, params }));
  }

  private analyze(sql: string): CachedSql {
    let outcome: SqlAnalysis | SqlRefusal;
    try {
      outcome = analyzeSql(this.parser, sql, this.dialect);
    } catch (error) {
      if (!(error instanceof SqlRefusal)) throw error;
      outcome = error;
    }
    // Evicting the oldest entry rather than the least recently used keeps a hit to one Map get.
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    const cached: CachedSql = { outcome, prepared: new WeakMap() };
    this.cache.set(sql, cached);
    return cached;
  }

  private rewrite(cached: CachedSql, policy: ResourcePolicy): readonly string[] {
    if (cached.outcome instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, cached.outcome.message);
    const statements = Object.freeze(rewriteTableNames(this.parser, cached.outcome, policy, this.dialect));
    cached.prepared.set(policy, statements);
    return statements;
  }
}
