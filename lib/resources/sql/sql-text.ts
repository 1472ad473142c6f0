import type { SqlDialect } from './sql-dialect.js';
import { UNCLOSED, VERBATIM_STARTS, verbatimEnd, verbatimKindAt } from './sql-lexer.js';

/**
 * The named parameter that stands for `?` while SQLite SQL is parsed: node-sql-parser's SQLite
 * grammar accepts `?` in expressions but not in LIMIT/OFFSET, where it accepts named ones.
 */
export const POSITIONAL_PARAMETER_STAND_IN = 'sql_guard_positional';

export type SqlTextPartKind = 'code' | 'quoted' | 'comment';

export interface SqlTextPart {
  readonly kind: SqlTextPartKind;
  readonly text: string;
}

/**
 * The text the parser reads. Only code changes; quoted strings, quoted identifiers and comments
 * stay as written. PostgreSQL folds unquoted identifiers to lower case, but the parser forgets
 * which names were quoted and prints aliases quoted, so `AS Total` would come back as `"Total"`:
 * folding first keeps the meaning. SQLite's `?` becomes the named stand-in (see above).
 * Splitting the text here is not a security boundary: what runs is printed from the parser's AST.
 */
export function normalizeSqlText(sql: string, dialect: SqlDialect): string {
  const normalizeCode =
    dialect === 'postgresql'
      ? (code: string) => code.replace(/[A-Z]/g, (letter) => letter.toLowerCase())
      : (code: string) => code.replace(/\?(?!\d)/g, `:${POSITIONAL_PARAMETER_STAND_IN}`);
  return splitSqlText(sql, dialect)
    .map((part) => (part.kind === 'code' ? normalizeCode(part.text) : part.text))
    .join('');
}

/** The first word of each `;`-separated statement, lower-cased: what to name when the parser gives up. */
export function statementKeywords(sql: string, dialect: SqlDialect): string[] {
  const keywords: string[] = [];
  let atStatementStart = true;
  for (const part of splitSqlText(sql, dialect)) {
    if (part.kind === 'comment') continue;
    if (part.kind === 'quoted') {
      atStatementStart = false;
      continue;
    }
    for (const [token] of part.text.matchAll(/;|[A-Za-z_]+|\S/g)) {
      if (atStatementStart && /^[A-Za-z_]/.test(token)) keywords.push(token.toLowerCase());
      atStatementStart = token === ';';
    }
  }
  return keywords;
}

/**
 * Whether `sql` holds a comment, or in SQLite a `#`, which node-sql-parser reads as the start
 * of a comment and SQLite does not. sqlify never prints either, so in printed SQL they can only
 * come from text it copied verbatim, where the parser and the database could read them
 * differently (PostgreSQL nests block comments, SQLite does not).
 */
export function containsComment(sql: string, dialect: SqlDialect): boolean {
  return splitSqlText(sql, dialect).some((part) => part.kind === 'comment' || (dialect === 'sqlite' && part.kind === 'code' && part.text.includes('#')));
}

/** `sql` cut into code, quoted strings or identifiers, and comments, as both databases read them (see sql-lexer.ts). */
export function splitSqlText(sql: string, dialect: SqlDialect): SqlTextPart[] {
  const parts: SqlTextPart[] = [];
  // The regular expression jumps over code to the next place a verbatim part can start.
  const starts = VERBATIM_STARTS[dialect];
  starts.lastIndex = 0;
  let codeStart = 0;
  for (let found = starts.exec(sql); found !== null; found = starts.exec(sql)) {
    const index = found.index;
    const kind = verbatimKindAt(sql.charCodeAt(index), sql.charCodeAt(index + 1), dialect) === 'comment' ? 'comment' : 'quoted';
    const closed = verbatimEnd(sql, index);
    const end = closed === UNCLOSED ? sql.length : closed;
    if (index > codeStart) parts.push({ kind: 'code', text: sql.slice(codeStart, index) });
    parts.push({ kind, text: sql.slice(index, end) });
    starts.lastIndex = codeStart = end;
  }
  if (codeStart < sql.length) parts.push({ kind: 'code', text: sql.slice(codeStart) });
  return parts;
}
