import { SqlNotAllowedError, SqlTimeoutError, TableAccessDeniedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { analyzeSql, readSql } from './analyze-sql.js';
import { BoundedCache } from './bounded-cache.js';
import { LONG_SQL_CHARS } from './long-sql.js';
import { MigrationDenial } from './migration-token-cursor.js';
import { classifyMigrationStatement, type MigrationPolicy, type MigrationStatementKind } from './migration-statement.js';
import { checkBeforeParsing, UnparseableSql } from './parse-sql.js';
import { loadedPostgresParser, loadPostgresParser, type PostgresParse } from './postgres/load-postgres-parser.js';
import { ParseTimeout, PostgresParseWorker } from './postgres/postgres-parse-worker.js';
import type { PreparedStatement } from './prepared-statement.js';
import { rewriteTableNames } from './rewrite-table-names.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlFacts } from './sql-facts.js';
import { isStackOverflow, nestsTooDeep } from './sql-nesting.js';
import { SqlRefusal } from './sql-refusal.js';
import { shapeSql, type SqlLiteral, type SqlShape } from './sql-shape.js';
import { StatementTemplate, type ShapeMarkers } from './statement-template.js';

export { sqlDialectOf, type SqlDialect } from './sql-dialect.js';

const DEFAULT_CACHE_SIZE = 500;

export interface SqlGuardOptions {
  readonly cacheSize?: number;
  readonly analyze?: typeof analyzeSql;
}

/** A shape's (or a whole text's) analysis, or why it is refused, and its templates per policy seen. */
interface CachedAnalysis {
  /** the facts of `text`, or why it is refused */
  readonly outcome: { readonly text: string; readonly facts: SqlFacts } | SqlRefusal;
  /** undefined for a whole text, analysed as written because its shape does not parse. */
  readonly markers?: ShapeMarkers;
  /** Policies are immutable and replaced when overrides change, so an entry is never stale. */
  readonly prepared: WeakMap<ResourcePolicy, readonly StatementTemplate[]>;
}

/** One SQL text: the analysis of its shape and its own literals. */
interface CachedText {
  readonly analysis: CachedAnalysis;
  readonly literals: readonly SqlLiteral[];
}

const NO_LITERALS: readonly SqlLiteral[] = Object.freeze([]);

/**
 * The check behind `ctx.database.executeQuery`: reads a plugin's raw SQL, refuses anything but
 * plain data access to its allowed tables, and returns the statements to run with real table
 * names and the caller's parameters (`?` in SQLite, `$1` in PostgreSQL) left in place.
 *
 * PostgreSQL SQL is read by PostgreSQL's own parser (libpg-query); SQLite SQL by a linear
 * reader of the subset the guard accepts, SQLite's compiled program having the last word (see
 * sqlite-reader.ts). Either way the text is renamed where the names were found, and nowhere else.
 *
 * Statements are analysed once per shape (literals replaced by markers, see sql-shape.ts), so
 * the same statement with other values costs a scan of its text. On SQLite the literals are
 * bound as parameters where that keeps the meaning, so the engine sees one text per shape; on
 * PostgreSQL they are put back where they were. A shape that does not parse (`'a' 'b'`,
 * `DATE '2020-01-01'`) falls back to the text as written.
 *
 * PostgreSQL's parser is WebAssembly, loaded by `SqlGuard.open` (once per process), not at import.
 */
export class SqlGuard {
  private readonly texts: BoundedCache<CachedText>;
  private readonly shapes: BoundedCache<CachedAnalysis>;
  private readonly analyzeSql: typeof analyzeSql;
  private parseWorker?: PostgresParseWorker;
  /** The last statement prepared: a query repeated in a loop skips both look-ups (analyses never go stale). */
  private last?: { readonly sql: string; readonly policy: ResourcePolicy; readonly text: CachedText; readonly templates: readonly StatementTemplate[] };

  /** `analyze`: what reads a text and refuses what no policy allows (analyzeSql; a test counts its calls). */
  constructor(
    private readonly dialect: SqlDialect,
    options: SqlGuardOptions = {},
  ) {
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.analyzeSql = options.analyze ?? analyzeSql;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new RangeError(`cacheSize must be a positive integer, got ${cacheSize}`);
    this.texts = new BoundedCache(cacheSize);
    this.shapes = new BoundedCache(cacheSize);
  }

  /** A guard whose dialect's reader is loaded (PostgreSQL's parser, on its first use in the process). */
  static async open(dialect: SqlDialect, options: SqlGuardOptions = {}): Promise<SqlGuard> {
    if (dialect === 'postgresql') await loadPostgresParser();
    return new SqlGuard(dialect, options);
  }

  /**
   * The statements to run, with real table names and the values to bind. Throws
   * TableAccessDeniedError or SqlNotAllowedError naming `policy.pluginName`. A repeated query
   * costs two lookups (none when it repeats the last); denials are never cached, so each policy is checked on its own.
   */
  prepare(sql: string, policy: ResourcePolicy, params: readonly unknown[] = []): PreparedStatement[] {
    let text: CachedText;
    let templates: readonly StatementTemplate[];
    if (sql === this.last?.sql && policy === this.last.policy) ({ text, templates } = this.last);
    else {
      text = this.texts.get(sql) ?? this.enter(sql);
      templates = text.analysis.prepared.get(policy) ?? this.rewrite(text.analysis, policy);
      this.last = { sql, policy, text, templates };
    }
    if (templates.length === 1) return [this.fill(templates[0]!, text.literals, params, policy)];
    if (params.length > 0) {
      throw new SqlNotAllowedError(policy.pluginName, 'parameters cannot be bound to several statements; run them one at a time');
    }
    return templates.map((template) => this.fill(template, text.literals, params, policy));
  }

  /**
   * `prepare` for a text of LONG_SQL_CHARS or more, analysed as written. On PostgreSQL its parse
   * (tens of milliseconds for 64 KiB) happens in a worker thread, terminated past `timeoutMs`
   * (SqlTimeoutError); reading the tree and renaming, linear in the text, stay here. The SQLite
   * reader is itself a few linear passes.
   */
  async prepareLong(sql: string, policy: ResourcePolicy, params: readonly unknown[] | undefined, timeoutMs: number): Promise<PreparedStatement[]> {
    if (this.dialect === 'postgresql' && !this.texts.has(sql)) {
      const outcome = this.refusedBeforeParsing(sql) ?? this.analyze(sql, undefined, await this.parseAside(sql, policy, timeoutMs));
      this.texts.set(sql, { analysis: { outcome, prepared: new WeakMap() }, literals: NO_LITERALS });
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
      return classifyMigrationStatement(sql, this.dialect, policy, (text) => readSql(text, this.dialect, this.parse));
    } catch (error) {
      if (error instanceof MigrationDenial) throw new TableAccessDeniedError(policy.pluginName, error.object, policy.realTableNames);
      if (error instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, error.message);
      if (isStackOverflow(error)) throw new SqlNotAllowedError(policy.pluginName, nestsTooDeep().message);
      throw error;
    }
  }

  /** Stops the parser thread, if one runs. */
  close(): void {
    this.parseWorker?.close();
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

  /** `sql` parsed in the worker thread, as a parser that answers with that tree (or error). */
  private async parseAside(sql: string, policy: ResourcePolicy, timeoutMs: number): Promise<PostgresParse> {
    try {
      const tree = await (this.parseWorker ??= new PostgresParseWorker()).parse(sql, timeoutMs);
      return () => tree;
    } catch (error) {
      if (error instanceof ParseTimeout) throw new SqlTimeoutError(policy.pluginName, timeoutMs);
      return () => {
        throw error;
      };
    }
  }

  private get parse(): PostgresParse | undefined {
    return this.dialect === 'postgresql' ? loadedPostgresParser() : undefined;
  }

  private fill(template: StatementTemplate, literals: readonly SqlLiteral[], params: readonly unknown[], policy: ResourcePolicy): PreparedStatement {
    // Literals bound among the caller's values would shift if those were too few or too many.
    if (template.mergesParameters && params.length !== template.positionalCount) {
      throw new SqlNotAllowedError(policy.pluginName, `it has ${template.positionalCount} ? placeholders but ${params.length} parameters were given`);
    }
    return template.fill(literals, params);
  }

  private enter(sql: string): CachedText {
    // A long text is analysed as written: its shape, each literal a marker of some twenty
    // characters, can be several times the text (`IN (1, 2, 3, ...)`), and long texts are
    // rarely sent again with other values anyway. Text with a backslash is refused whole.
    const shape = sql.length >= LONG_SQL_CHARS || sql.includes('\\') ? undefined : shapeSql(sql, this.dialect);
    const analysis = shape === undefined ? undefined : (this.shapes.get(shape.text) ?? this.analyzeShape(shape));
    const readable = analysis !== undefined && !(analysis.outcome instanceof UnparseableSql && shape!.literals.length > 0);
    const text: CachedText = readable ? { analysis, literals: shape!.literals } : { analysis: this.analyzeWhole(sql), literals: NO_LITERALS };
    this.texts.set(sql, text);
    return text;
  }

  private analyzeShape(shape: SqlShape): CachedAnalysis {
    const markers: ShapeMarkers = { literalCount: shape.literals.length, firstMarker: shape.firstMarker, positionalCount: shape.positionalCount };
    const analysis: CachedAnalysis = { outcome: this.analyze(shape.text, markers), markers, prepared: new WeakMap() };
    this.shapes.set(shape.text, analysis);
    return analysis;
  }

  private analyzeWhole(sql: string): CachedAnalysis {
    return { outcome: this.analyze(sql), prepared: new WeakMap() };
  }

  private analyze(text: string, markers?: ShapeMarkers, parse = this.parse): CachedAnalysis['outcome'] {
    try {
      return { text, facts: this.analyzeSql(text, this.dialect, parse, markers) };
    } catch (error) {
      // A backstop: the text checks refuse deep nesting before any reader recurses into it.
      if (isStackOverflow(error)) return nestsTooDeep();
      if (!(error instanceof SqlRefusal)) throw error;
      return error;
    }
  }

  private rewrite(analysis: CachedAnalysis, policy: ResourcePolicy): readonly StatementTemplate[] {
    if (analysis.outcome instanceof SqlRefusal) throw new SqlNotAllowedError(policy.pluginName, analysis.outcome.message);
    const { text, facts } = analysis.outcome;
    const printed = rewriteTableNames(text, facts, policy, this.dialect);
    const templates =
      analysis.markers === undefined ? printed.map(StatementTemplate.fixed) : StatementTemplate.fromPrinted(printed, analysis.markers, facts.inline, this.dialect);
    if (templates === undefined) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
    analysis.prepared.set(policy, Object.freeze(templates));
    return templates;
  }
}
