import type { NamedTable, QualifierSpan, SqlFacts, SqlFinding, StatementSpan } from '../sql-facts.js';
import { UnparseableSql } from '../parse-sql.js';
import { SqlRefusal } from '../sql-refusal.js';
import { sqliteMarkerIndex } from '../sql-shape.js';
import type { ColumnItem, Frame } from './sqlite-frame.js';
import { CLAUSE_WORDS, INLINE_CLAUSES, isDangling, NAMED_PARAMETERS, NOT_ALIASES, OPENING_CLAUSES, SET_OPERATORS } from './sqlite-keywords.js';
import { sqliteTokens, type SqliteToken } from './sqlite-tokens.js';

/**
 * The SQLite reader: one linear pass over the tokens of the subset the guard accepts (SELECT,
 * INSERT, REPLACE, UPDATE, DELETE with their joins, sub-queries, CTEs and upserts), finding
 * where tables are named, the columns qualified by them, the calls, and which literal markers
 * of a shape must stay in the text. It is not the judge of what the statement does: SQLite
 * compiles the rewritten text and the engine verifies the program it built (see
 * sqlite-statement-verifier.ts), which has the last word on every table and function.
 */
export function readSqlite(sql: string): SqlFacts {
  return new SqliteReader(sql, sqliteTokens(sql)).read();
}

class SqliteReader {
  private readonly statements: StatementSpan[] = [];
  private readonly tables: NamedTable[] = [];
  private readonly findings: SqlFinding[] = [];
  private readonly inline = new Set<number>();
  private readonly unaliased = new Map<string, NamedTable>();
  private readonly shadowing = new Set<string>();
  private readonly qualified: { name: string; start: number; end: number }[] = [];
  private frames: Frame[] = [];
  private kind?: string;
  private statementStart = -1;
  private index = 0;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly SqliteToken[],
  ) {}

  read(): SqlFacts {
    this.startStatement();
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index]!;
      if (token.kind === 'symbol' && token.value === ';' && this.frames.length === 1) this.endStatement();
      else this.step(token);
      this.index++;
    }
    this.endStatement();
    if (this.statements.length === 0) throw new SqlRefusal('there is no statement to run');
    const qualifiers: QualifierSpan[] = [];
    for (const { name, start, end } of this.qualified) {
      const table = this.shadowing.has(name) ? undefined : this.unaliased.get(name);
      if (table !== undefined) qualifiers.push({ start, end, table });
    }
    return { statements: this.statements, tables: this.tables, qualifiers, findings: this.findings, inline: this.inline };
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private startStatement(): void {
    this.frames = [{ clause: 'start', inlining: false }];
    this.kind = undefined;
    this.statementStart = -1;
  }

  private endStatement(): void {
    if (this.statementStart !== -1) {
      const last = this.tokens[this.index - 1]!;
      if (this.frames.length > 1 || isDangling(last)) throw new UnparseableSql('cannot parse it: unexpected end of input');
      this.closeItem(this.frame);
      this.statements.push({ kind: this.kind ?? 'select', start: this.statementStart, end: last.end });
    }
    this.startStatement();
  }

  private step(token: SqliteToken): void {
    if (this.statementStart === -1) this.statementStart = token.start;
    const frame = this.frame;
    if (this.kind === undefined && this.frames.length === 1 && !(token.kind === 'word' && token.folded === 'with') && frame.cte === undefined) {
      this.kind = token.kind === 'symbol' && token.value === '(' ? 'select' : token.folded;
    }
    if (frame.cte === 'name' && (token.kind === 'word' || token.kind === 'quoted')) return this.cteName(token, frame);
    if (frame.expect !== undefined && (token.kind === 'word' || token.kind === 'quoted') && !(token.kind === 'word' && NOT_ALIASES.has(token.folded))) {
      return this.tableItem(frame);
    }
    if (token.kind === 'symbol') return this.symbol(token, frame);
    if (token.kind === 'parameter') return this.parameter(token, frame);
    if (token.kind === 'word') this.word(token, frame);
    if (token.kind === 'word' || token.kind === 'quoted') this.name(token);
  }

  private symbol(token: SqliteToken, frame: Frame): void {
    if (token.value === '(') {
      const previous = this.tokens[this.index - 1];
      const next = this.tokens[this.index + 1];
      const subquery = next?.kind === 'word' && ['select', 'with', 'values'].includes(next.folded);
      const parenthesisedJoin = frame.expect === 'from' && !subquery;
      const word = previous?.kind === 'word' ? previous.folded : '';
      const clause = parenthesisedJoin ? 'from' : subquery ? 'start' : (OPENING_CLAUSES.get(word) ?? 'other');
      const fromItem = frame.expect === 'from';
      frame.expect = undefined;
      this.frames.push({ clause, expect: parenthesisedJoin ? 'from' : undefined, inlining: frame.inlining || INLINE_CLAUSES.has(frame.clause), fromItem });
      return;
    }
    if (token.value === ')') {
      if (this.frames.length === 1) throw new UnparseableSql(`cannot parse it: unexpected ")" on line ${this.lineOf(token)}`);
      this.closeItem(frame);
      this.frames.pop();
      if (frame.fromItem) this.alias();
      return;
    }
    if (token.value === ',') {
      if (frame.cte === 'body') {
        this.cteRead(frame);
        frame.cte = 'name';
      }
      else if (frame.clause === 'from' || frame.clause === 'on') {
        frame.clause = 'from';
        frame.expect = 'from';
      } else if (frame.item !== undefined) {
        this.closeItem(frame);
        frame.item = { aliased: false, markers: [] };
      }
    }
  }

  private parameter(token: SqliteToken, frame: Frame): void {
    const marker = sqliteMarkerIndex(token.value);
    if (marker !== undefined) {
      if (frame.inlining || INLINE_CLAUSES.has(frame.clause)) this.inline.add(marker);
      else this.innermostItem()?.markers.push(marker);
      return;
    }
    if (/^\?\d/.test(token.value)) throw new UnparseableSql(`cannot parse it: unexpected ${JSON.stringify(token.value.slice(1))} on line ${this.lineOf(token)}`);
    if (token.value !== '?') this.findings.push({ refusal: NAMED_PARAMETERS });
  }

  private word(token: SqliteToken, frame: Frame): void {
    const word = token.folded;
    const previous = this.tokens[this.index - 1];
    const next = this.tokens[this.index + 1];
    const atStart = frame.clause === 'start';
    if (word === 'with' && atStart) {
      frame.ctes ??= new Set();
      frame.cte = 'name';
      frame.recursive = next?.kind === 'word' && next.folded === 'recursive';
      if (frame.recursive) this.index++;
      return;
    }
    if (frame.cte === 'body' && word !== 'as' && word !== 'not' && word !== 'materialized') {
      this.cteRead(frame);
      frame.cte = undefined;
      if (this.frames.length === 1) this.kind ??= word;
    }
    if (word === 'select') {
      this.setClause(frame, 'columns');
      frame.item = { aliased: false, markers: [] };
    } else if (word === 'returning') {
      this.setClause(frame, 'returning');
      frame.item = { aliased: false, markers: [] };
    } else if (word === 'as' && frame.clause === 'cast') {
      // A type's arguments (`varchar(10)`) are part of the type, never values.
      frame.clause = 'inline';
    } else if (word === 'as' && frame.item !== undefined) {
      frame.item.aliased = true;
    } else if (word === 'from') {
      const distinctFrom = previous?.kind === 'word' && previous.folded === 'distinct';
      if (!distinctFrom) {
        const target = frame.clause === 'delete';
        this.setClause(frame, 'from');
        frame.expect = target ? 'target' : 'from';
      }
    } else if (word === 'join') {
      this.setClause(frame, 'from');
      frame.expect = 'from';
    } else if ((word === 'natural' || word === 'cross') && (frame.clause === 'from' || frame.clause === 'on')) {
      this.findings.push({ refusal: `${token.value.toUpperCase()} JOIN is not supported; use JOIN ... ON or USING` });
    } else if ((word === 'on' || word === 'using') && (frame.clause === 'from' || frame.clause === 'on')) {
      this.setClause(frame, 'on');
    } else if (word === 'into' && (this.kind === 'insert' || this.kind === 'replace') && this.frames.length === 1) {
      frame.expect = 'target';
    } else if (word === 'update' && atStart && !(next?.kind === 'word' && next.folded === 'set')) {
      this.kind ??= 'update';
      this.setClause(frame, 'update');
      if (next?.kind === 'word' && next.folded === 'or') this.index += 2;
      frame.expect = 'target';
    } else if (word === 'delete' && atStart) {
      this.setClause(frame, 'delete');
    } else if ((word === 'insert' || word === 'replace') && atStart) {
      this.setClause(frame, 'insert');
    } else if (SET_OPERATORS.has(word)) {
      this.setClause(frame, 'start');
    } else if (word === 'in' && !(next?.kind === 'symbol' && next.value === '(')) {
      this.findings.push({ refusal: 'IN takes a parenthesised list or sub-query' });
    } else if (CLAUSE_WORDS.has(word) && !(word === 'set' && previous?.kind === 'word' && previous.folded !== 'update' && frame.clause !== 'update')) {
      this.setClause(frame, word);
    }
  }

  /** A name outside FROM: a call when `(` follows, a table's qualifier when `.` does. */
  private name(token: SqliteToken): void {
    const previous = this.tokens[this.index - 1];
    const next = this.tokens[this.index + 1];
    const afterDot = previous?.kind === 'symbol' && previous.value === '.';
    if (next?.kind === 'symbol' && next.value === '(') {
      if (afterDot) {
        const schema = this.tokens[this.index - 2]!;
        this.findings.push({ refusal: `schema-qualified function calls are not allowed (${schema.value}.${token.value})` });
      } else this.findings.push({ call: { name: token.value } });
      return;
    }
    if (!afterDot && next?.kind === 'symbol' && next.value === '.') this.qualified.push({ name: token.folded, start: token.start, end: token.end });
  }

  /**
   * A CTE's name: in scope in its own body and earlier siblings' only under WITH RECURSIVE, as in
   * PostgreSQL, so that a name that could be the real table is checked as one.
   */
  private cteName(token: SqliteToken, frame: Frame): void {
    const name = token.folded;
    this.shadowing.add(name);
    if (frame.recursive) frame.ctes!.add(name);
    else frame.pendingCte = name;
    frame.cte = 'body';
  }

  private cteRead(frame: Frame): void {
    if (frame.pendingCte !== undefined) frame.ctes!.add(frame.pendingCte);
    frame.pendingCte = undefined;
  }

  /** A FROM item or a target: `name`, `schema.name`, a table-valued function (refused), then an alias. */
  private tableItem(frame: Frame): void {
    const expected = frame.expect!;
    frame.expect = undefined;
    const first = this.tokens[this.index]!;
    let last = first;
    let schema: string | undefined;
    const dot = this.tokens[this.index + 1];
    const second = this.tokens[this.index + 2];
    if (dot?.kind === 'symbol' && dot.value === '.' && (second?.kind === 'word' || second?.kind === 'quoted')) {
      schema = first.value;
      last = second;
      this.index += 2;
    }
    const after = this.tokens[this.index + 1];
    if (expected === 'from' && after?.kind === 'symbol' && after.value === '(') {
      this.findings.push({ refusal: `table-valued functions are not allowed in FROM (${last.value})` }, { call: { schema, name: last.value } });
      return;
    }
    const name = last.folded;
    const isCte = expected === 'from' && schema === undefined && this.frames.some((level) => level.ctes?.has(name));
    const aliased = this.alias();
    if (isCte) return;
    const table: NamedTable = { name: last.value, schema, start: first.start, end: last.end };
    this.tables.push(table);
    if (!aliased) this.unaliased.set(name, table);
  }

  /** Reads `AS alias` or a bare alias after a FROM item or target; whether there was one. */
  private alias(): boolean {
    let next = this.tokens[this.index + 1];
    const explicit = next?.kind === 'word' && next.folded === 'as';
    if (explicit) next = this.tokens[this.index + 2];
    const isAlias = next !== undefined && (next.kind === 'quoted' || (next.kind === 'word' && (explicit || !NOT_ALIASES.has(next.folded))));
    if (!isAlias) return false;
    this.shadowing.add(next!.folded);
    this.index += explicit ? 2 : 1;
    return true;
  }

  private setClause(frame: Frame, clause: string): void {
    this.closeItem(frame);
    frame.clause = clause;
    frame.expect = undefined;
  }

  /** A result column ends: an unaliased one keeps its literals in the text, an aliased one leaves them to the column around it. */
  private closeItem(frame: Frame): void {
    const item = frame.item;
    if (item === undefined) return;
    frame.item = undefined;
    if (!item.aliased) for (const marker of item.markers) this.inline.add(marker);
    else this.innermostItem()?.markers.push(...item.markers);
  }

  private innermostItem(): ColumnItem | undefined {
    for (let level = this.frames.length - 1; level >= 0; level--) {
      const item = this.frames[level]!.item;
      if (item !== undefined) return item;
    }
    return undefined;
  }

  private lineOf(token: SqliteToken): number {
    return this.sql.slice(0, token.start).split('\n').length;
  }
}
