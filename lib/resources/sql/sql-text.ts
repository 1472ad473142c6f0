import type { SqlDialect } from './sql-dialect.js';
import { UNCLOSED, VERBATIM_STARTS, verbatimEnd, verbatimKindAt } from './sql-lexer.js';

export type SqlTextPartKind = 'code' | 'quoted' | 'comment';

export interface SqlTextPart {
  readonly kind: SqlTextPartKind;
  readonly text: string;
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
