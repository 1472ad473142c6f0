import type { SqlDialect } from './sql-dialect.js';

/**
 * Where SQL text stops being code, as both databases read it: quoted strings, quoted
 * identifiers and comments, with no backslash escapes. The shape scan (sql-shape.ts) and the
 * text rules (sql-text.ts) both read text through this module: the guard is only safe while
 * they agree on where a string or a comment ends. `$` stays code here: `$1` is a parameter and
 * `$tag$` an identifier run to both; the parser reads dollar-quoted strings, and the statement
 * rules refuse them.
 */
export type SqlVerbatimKind = 'string' | 'identifier' | 'comment';

/** What verbatimEnd answers for a part with no end: it runs to the end of the text. */
export const UNCLOSED = -1;

const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKTICK = 96;
const OPEN_BRACKET = 91;
const DASH = 45;
const SLASH = 47;
const STAR = 42;

/**
 * The verbatim part that starts with the characters `char` and `next` (UTF-16 codes, as a scan
 * reads them anyway), if one does.
 */
export function verbatimKindAt(char: number, next: number, dialect: SqlDialect): SqlVerbatimKind | undefined {
  if (char === QUOTE) return 'string';
  if (char === DOUBLE_QUOTE) return 'identifier';
  // In PostgreSQL `[` subscripts an array; only SQLite quotes identifiers with it (and with backticks).
  if ((char === BACKTICK || char === OPEN_BRACKET) && dialect === 'sqlite') return 'identifier';
  return (char === DASH && next === DASH) || (char === SLASH && next === STAR) ? 'comment' : undefined;
}

/** Where verbatimKindAt finds a part, per dialect: lets a scan that wants only those jump over code. */
export const VERBATIM_STARTS: Readonly<Record<SqlDialect, RegExp>> = { sqlite: /['"`[]|--|\/\*/g, postgresql: /['"]|--|\/\*/g };

/** Past the verbatim part verbatimKindAt found at `start`, or UNCLOSED. */
export function verbatimEnd(sql: string, start: number): number {
  const char = sql.charCodeAt(start);
  if (char === OPEN_BRACKET) return endAfter(sql, ']', start + 1);
  if (char === DASH) return endAfter(sql, '\n', start + 2);
  if (char === SLASH) return endAfter(sql, '*/', start + 2);
  return closingQuoteEnd(sql, start, char);
}

/** Past the quote closing the one at `start` (a doubled quote stands for itself), or UNCLOSED. */
function closingQuoteEnd(sql: string, start: number, quote: number): number {
  const quoteText = String.fromCharCode(quote);
  let from = start + 1;
  for (;;) {
    const close = sql.indexOf(quoteText, from);
    if (close === -1) return UNCLOSED;
    if (sql.charCodeAt(close + 1) !== quote) return close + 1;
    from = close + 2;
  }
}

function endAfter(sql: string, terminator: string, from: number): number {
  const found = sql.indexOf(terminator, from);
  return found === -1 ? UNCLOSED : found + terminator.length;
}
