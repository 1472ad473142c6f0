import type { SqlDialect } from './sql-dialect.js';
import { assertOperatorChainsWithin } from './sql-nesting.js';
import { SqlRefusal } from './sql-refusal.js';
import { NEVER_ALLOWED_STATEMENT_KEYWORDS } from './sql-statement-rules.js';
import { statementKeywords } from './sql-text.js';

/** A statement the reader could not read, as opposed to one it read and refused. */
export class UnparseableSql extends SqlRefusal {}

/** The refusals that need no parse (linear scans of the text); throws SqlRefusal. */
export function checkBeforeParsing(sql: string, dialect: SqlDialect): void {
  // Backslashes escape in PostgreSQL's E'' strings (and in strings where standard_conforming_strings
  // is off), never in SQLite: text with none reads the same to every lexer involved.
  if (sql.includes('\\')) throw new SqlRefusal('backslashes are not allowed in SQL text; pass such values as parameters');
  assertOperatorChainsWithin(sql, dialect);
}

/** Names the statement kind when one is never allowed (PRAGMA, VACUUM, COPY...), else the reader's complaint. */
export function unparseable(sql: string, dialect: SqlDialect, complaint: string): SqlRefusal {
  const keyword = statementKeywords(sql, dialect).find((candidate) => NEVER_ALLOWED_STATEMENT_KEYWORDS.has(candidate));
  if (keyword !== undefined) return new SqlRefusal(`${keyword.toUpperCase()} statements are not allowed`);
  return new UnparseableSql(`cannot parse it: ${complaint}`);
}
