import type { Parser } from 'node-sql-parser';
import { SqlNotAllowedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { analyzeSql, type SqlAnalysis } from './analyze-sql.js';
import { sqliteLiteralsToInline } from './inline-literals.js';
import { loadSqlParser } from './load-sql-parser.js';
import { UnparseableSql } from './parse-sql.js';
import type { PreparedStatement } from './prepared-statement.js';
import { rewriteTableNames } from './rewrite-table-names.js';
import type { SqlDialect } from './sql-dialect.js';
import { isStackOverflow, nestsTooDeep } from './sql-nesting.js';
import { SqlRefusal } from './sql-refusal.js';
import { shapeSql, type SqlLiteral, type SqlShape } from './sql-shape.js';
import { StatementTemplate, type ShapeMarkers } from './statement-template.js';

export { sqlDialectOf, type SqlDialect } from './sql-dialect.js';

const DEFAULT_CACHE_SIZE = 500;

/**
 * A longer text is analysed as written. Its shape, each literal a marker of some twenty
 * characters, can be several times the text (`IN (1, 2, 3, ...)`), and parsing costs with it;
 * long texts are rarely sent again with other values anyway.
 */
const MAX_SHAPED_CHARS = 4096;

/** A shape's (or a whole text's) analysis, or why it is refused, and its templates per policy seen. */
interface CachedAnalysis {
  readonly outcome: SqlAnalysis | SqlRefusal;
  /** undefined for a whole text, analysed as written because its shape does not parse. */
  readonly markers?: ShapeMarkers;
  readonly inline: ReadonlySet<number>;
  /** Policies are immutable and replaced when overrides change, so an entry is never stale. */
  readonly prepared: WeakMap<ResourcePolicy, readonly StatementTemplate[]>;
}

/** One SQL text: the analysis of its shape and its own literals. */
interface CachedText {
  readonly analysis: CachedAnalysis;
  readonly literals: readonly SqlLiteral[];
}

const NO_LITERALS: readonly SqlLiteral[] = Object.freeze([]);
const NOTHING_INLINE: ReadonlySet<number> = new Set();

/**
 * The check behind `ctx.database.executeQuery`: parses a plugin's raw SQL, refuses anything but
 * plain data access to its allowed tables, and returns the statements to run with real table
 * names and the caller's parameters (`?` in SQLite, `$1` in PostgreSQL) left in place.
 *
 * Statements are analysed once per shape (literals replaced by markers, see sql-shape.ts), so
 * the same statement with other values costs a scan of its text. On SQLite the literals are
 * bound as parameters where that keeps the meaning, so the engine sees one text per shape; on
 * PostgreSQL they are put back where they were. A shape the parser cannot read (`AS 'alias'`,
 * `DATE '2020-01-01'`) falls back to the text as written.
 *
 * The parser is loaded on the first statement analysed, not when the guard is built.
 */
export class SqlGuard {
  private loadedParser?: Parser;
  private readonly loadParser: () => Parser;
  private readonly texts = new Map<string, CachedText>();
  private readonly shapes = new Map<string, CachedAnalysis>();
  private readonly cacheSize: number;

  constructor(
    private readonly dialect: SqlDialect,
    options: { cacheSize?: number; loadParser?: () => Parser } = {},
  ) {
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.loadParser = options.loadParser ?? loadSqlParser;
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 1) throw new RangeError(`cacheSize must be a positive integer, got ${this.cacheSize}`);
  }

  /**
   * The statements to run, with real table names and the values to bind. Throws
   * TableAccessDeniedError or SqlNotAllowedError naming `policy.pluginName`. A repeated query
   * costs two lookups; denials are never cached, so each policy is checked on its own.
   */
  prepare(sql: string, policy: ResourcePolicy, params: readonly unknown[] = []): PreparedStatement[] {
    const text = this.texts.get(sql) ?? this.enter(sql);
    const templates = text.analysis.prepared.get(policy) ?? this.rewrite(text.analysis, policy);
    if (templates.length === 1) return [this.fill(templates[0]!, text.literals, params, policy)];
    if (params.length > 0) {
      throw new SqlNotAllowedError(policy.pluginName, 'parameters cannot be bound to several statements; run them one at a time');
    }
    return templates.map((template) => this.fill(template, text.literals, params, policy));
  }

  private get parser(): Parser {
    return (this.loadedParser ??= this.loadParser());
  }

  private fill(template: StatementTemplate, literals: readonly SqlLiteral[], params: readonly unknown[], policy: ResourcePolicy): PreparedStatement {
    // Literals bound among the caller's values would shift if those were too few or too many.
    if (template.mergesParameters && params.length !== template.positionalCount) {
      throw new SqlNotAllowedError(policy.pluginName, `it has ${template.positionalCount} ? placeholders but ${params.length} parameters were given`);
    }
    return template.fill(literals, params);
  }

  private enter(sql: string): CachedText {
    // The parser reads `\'` as an escape, which neither database does: leave such text whole, where it is refused.
    const shape = sql.length > MAX_SHAPED_CHARS || sql.includes('\\') ? undefined : shapeSql(sql, this.dialect);
    const analysis = shape === undefined ? undefined : (this.shapes.get(shape.text) ?? this.analyzeShape(shape));
    const readable = analysis !== undefined && !(analysis.outcome instanceof UnparseableSql && shape!.literals.length > 0);
    const text: CachedText = readable ? { analysis, literals: shape!.literals } : { analysis: this.analyzeWhole(sql), literals: NO_LITERALS };
    this.remember(this.texts, sql, text);
    return text;
  }

  private analyzeShape(shape: SqlShape): CachedAnalysis {
    const outcome = this.analyze(shape.text, true);
    const inline = this.dialect === 'sqlite' && !(outcome instanceof SqlRefusal) ? sqliteLiteralsToInline(outcome.statements) : NOTHING_INLINE;
    const markers: ShapeMarkers = { literalCount: shape.literals.length, firstMarker: shape.firstMarker, positionalCount: shape.positionalCount };
    const analysis: CachedAnalysis = { outcome, markers, inline, prepared: new WeakMap() };
    this.remember(this.shapes, shape.text, analysis);
    return analysis;
  }

  private analyzeWhole(sql: string): CachedAnalysis {
    return { outcome: this.analyze(sql, false), inline: NOTHING_INLINE, prepared: new WeakMap() };
  }

  private analyze(sql: string, shape: boolean): SqlAnalysis | SqlRefusal {
    try {
      return analyzeSql(this.parser, sql, this.dialect, shape);
    } catch (error) {
      // A backstop: parseSql refuses deep trees before the walkers recurse into them.
      if (isStackOverflow(error)) return nestsTooDeep();
      if (!(error instanceof SqlRefusal)) throw error;
      return error;
    }
  }

  private rewrite(analysis: CachedAnalysis, policy: ResourcePolicy): readonly StatementTemplate[] {
    if (analysis.outcome instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, analysis.outcome.message);
    const printed = this.print(analysis.outcome, policy, analysis.markers !== undefined);
    const templates =
      analysis.markers === undefined ? printed.map(StatementTemplate.fixed) : StatementTemplate.fromPrinted(printed, analysis.markers, analysis.inline, this.dialect);
    if (templates === undefined) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
    analysis.prepared.set(policy, Object.freeze(templates));
    return templates;
  }

  private print(analysis: SqlAnalysis, policy: ResourcePolicy, shape: boolean): string[] {
    try {
      return rewriteTableNames(this.parser, analysis, policy, this.dialect, shape);
    } catch (error) {
      if (isStackOverflow(error)) throw new SqlNotAllowedError(policy.pluginName, nestsTooDeep().message);
      throw error;
    }
  }

  /** Evicting the oldest entry rather than the least recently used keeps a hit to one Map get. */
  private remember<T>(cache: Map<string, T>, key: string, value: T): void {
    if (cache.size >= this.cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
}
