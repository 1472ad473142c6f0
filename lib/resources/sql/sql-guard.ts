import type { Parser } from 'node-sql-parser';
import { SqlNotAllowedError, SqlTimeoutError, TableAccessDeniedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { analyzeSql, type SqlAnalysis } from './analyze-sql.js';
import { sqliteLiteralsToInline } from './inline-literals.js';
import { loadSqlParser } from './load-sql-parser.js';
import { LONG_SQL_CHARS } from './long-sql.js';
import { MigrationDenial } from './migration-token-cursor.js';
import { classifyMigrationStatement, type MigrationPolicy, type MigrationStatementKind } from './migration-statement.js';
import { checkBeforeParsing, UnparseableSql } from './parse-sql.js';
import type { PreparedStatement } from './prepared-statement.js';
import { printWithRealNames, rewriteTableNames, verifyPrinted } from './rewrite-table-names.js';
import type { SqlDialect } from './sql-dialect.js';
import { isStackOverflow, nestsTooDeep } from './sql-nesting.js';
import { ParseTimeout, SqlParseWorker } from './sql-parse-worker.js';
import { SqlRefusal } from './sql-refusal.js';
import { shapeSql, type SqlLiteral, type SqlShape } from './sql-shape.js';
import { normalizeSqlText } from './sql-text.js';
import { StatementTemplate, type ShapeMarkers } from './statement-template.js';

export { sqlDialectOf, type SqlDialect } from './sql-dialect.js';

const DEFAULT_CACHE_SIZE = 500;


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
  private readonly parseWorker = new SqlParseWorker();

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

  /**
   * `prepare` for a text of LONG_SQL_CHARS or more: its two parses (the text, and the rewritten
   * statement checked again), hundreds of milliseconds each for 64 KiB, happen in a worker
   * thread, terminated past `timeoutMs` (SqlTimeoutError); the checks and the printing, linear
   * in the text, stay here. A long text is analysed as written, never by shape.
   */
  async prepareLong(sql: string, policy: ResourcePolicy, params: readonly unknown[] | undefined, timeoutMs: number): Promise<PreparedStatement[]> {
    if (!this.texts.has(sql)) {
      const refused = this.refusedBeforeParsing(sql);
      const outcome = refused ?? this.analyze(sql, false, await this.parseAside([sql], policy, timeoutMs));
      const analysis: CachedAnalysis = { outcome, inline: NOTHING_INLINE, prepared: new WeakMap() };
      this.remember(this.texts, sql, { analysis, literals: NO_LITERALS });
    }
    const { analysis } = this.texts.get(sql)!;
    if (!(analysis.outcome instanceof SqlRefusal) && !analysis.prepared.has(policy)) {
      const printed = this.print(analysis.outcome, policy);
      verifyPrinted(await this.parseAside(printed.statements, policy, timeoutMs), printed, policy, this.dialect);
      analysis.prepared.set(policy, Object.freeze(printed.statements.map(StatementTemplate.fixed)));
    }
    return this.prepare(sql, policy, params);
  }

  /**
   * The migration mode: whether a plugin's migration may run `sql` as written (real names, one
   * statement), and what kind of statement it is; see migration-statement.ts. Throws
   * TableAccessDeniedError for anything beyond the plugin's tables, indexes and sequences, and
   * SqlNotAllowedError for what cannot be read. Nothing is cached: migrations run once.
   */
  checkMigration(sql: string, policy: MigrationPolicy): MigrationStatementKind {
    try {
      return classifyMigrationStatement(this.parser, sql, this.dialect, policy);
    } catch (error) {
      if (error instanceof MigrationDenial) throw new TableAccessDeniedError(policy.pluginName, error.object, policy.realTableNames);
      if (error instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, error.message);
      if (isStackOverflow(error)) throw new SqlNotAllowedError(policy.pluginName, nestsTooDeep().message);
      throw error;
    }
  }

  /** Stops the parser thread, if one runs. */
  close(): void {
    this.parseWorker.close();
  }

  private refusedBeforeParsing(sql: string): SqlRefusal | undefined {
    try {
      checkBeforeParsing(sql, this.dialect);
      return undefined;
    } catch (error) {
      if (error instanceof SqlRefusal) return error;
      throw error;
    }
  }

  /**
   * The texts parsed in the worker thread, as a parser that answers parseSql with those trees
   * (or errors): parseSql asks for exactly these texts, normalized as here.
   */
  private async parseAside(texts: readonly string[], policy: ResourcePolicy, timeoutMs: number): Promise<Parser> {
    const answers = new Map<string, { ast?: unknown; failure?: unknown }>();
    for (const text of texts) {
      const normalized = normalizeSqlText(text, this.dialect);
      try {
        answers.set(normalized, { ast: await this.parseWorker.astify(normalized, this.dialect, timeoutMs) });
      } catch (error) {
        if (error instanceof ParseTimeout) throw new SqlTimeoutError(policy.pluginName, timeoutMs);
        answers.set(normalized, { failure: error });
      }
    }
    const astify = (text: string, options: Parameters<Parser['astify']>[1]): unknown => {
      const answer = answers.get(text);
      if (answer === undefined) return this.parser.astify(text, options);
      if (answer.failure !== undefined) throw answer.failure;
      return answer.ast;
    };
    return { astify } as unknown as Parser;
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
    // A long text is analysed as written: its shape, each literal a marker of some twenty
    // characters, can be several times the text (`IN (1, 2, 3, ...)`), and long texts are
    // rarely sent again with other values anyway.
    const shape = sql.length >= LONG_SQL_CHARS || sql.includes('\\') ? undefined : shapeSql(sql, this.dialect);
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

  private analyze(sql: string, shape: boolean, parser: Parser = this.parser): SqlAnalysis | SqlRefusal {
    try {
      return analyzeSql(parser, sql, this.dialect, shape);
    } catch (error) {
      // A backstop: parseSql refuses deep trees before the walkers recurse into them.
      if (isStackOverflow(error)) return nestsTooDeep();
      if (!(error instanceof SqlRefusal)) throw error;
      return error;
    }
  }

  private rewrite(analysis: CachedAnalysis, policy: ResourcePolicy): readonly StatementTemplate[] {
    if (analysis.outcome instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, analysis.outcome.message);
    const printed = this.printAndVerify(analysis.outcome, policy, analysis.markers !== undefined);
    const templates =
      analysis.markers === undefined ? printed.map(StatementTemplate.fixed) : StatementTemplate.fromPrinted(printed, analysis.markers, analysis.inline, this.dialect);
    if (templates === undefined) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
    analysis.prepared.set(policy, Object.freeze(templates));
    return templates;
  }

  private printAndVerify(analysis: SqlAnalysis, policy: ResourcePolicy, shape: boolean): string[] {
    return this.withoutStackOverflow(policy, () => rewriteTableNames(this.parser, analysis, policy, this.dialect, shape));
  }

  private print(analysis: SqlAnalysis, policy: ResourcePolicy): ReturnType<typeof printWithRealNames> {
    return this.withoutStackOverflow(policy, () => printWithRealNames(this.parser, analysis, policy, this.dialect));
  }

  /** A backstop: parseSql refuses deep trees before the printer recurses into them. */
  private withoutStackOverflow<T>(policy: ResourcePolicy, step: () => T): T {
    try {
      return step();
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
