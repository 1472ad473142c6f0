import type { SqlDialect } from './sql-dialect.js';
import { UNCLOSED, verbatimEnd, verbatimKindAt, type SqlVerbatimKind } from './sql-lexer.js';

/** A literal as written, and the value that binds to the same SQLite type (strings, INTEGER as BigInt, REAL, BLOB). */
export interface SqlLiteral {
  readonly text: string;
  readonly value: unknown;
}

/**
 * A statement with its literals replaced by markers: the same text for every value, so that
 * parsing, checking and rewriting happen once per shape rather than once per text.
 */
export interface SqlShape {
  readonly text: string;
  readonly literals: readonly SqlLiteral[];
  /** Markers are literal number `i` as `:SQL_GUARD_LITERAL_i` (SQLite) or `$(firstMarker + i)` (PostgreSQL). */
  readonly firstMarker: number;
  /** The caller's `?` placeholders (SQLite). */
  readonly positionalCount: number;
}

/** A named parameter to the SQLite reader; never one the caller may write (see MENTIONS_MARKER). */
const SQLITE_MARKER_PREFIX = 'SQL_GUARD_LITERAL_';
const MENTIONS_MARKER = /sql_guard_literal_/i;
const INT64_MAX = 9223372036854775807n;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A literal found by the scan: where it is in the text and what it stands for. */
interface LiteralAt extends SqlLiteral {
  readonly start: number;
  readonly end: number;
}

/**
 * The shape of `sql`, or undefined when it must be analysed as it is: it names the SQLite
 * markers itself. It reads quotes and comments through sql-lexer.ts, as the text rules do,
 * in one pass since it runs for every text not seen before. Strings are literals only where
 * nothing glues a prefix to them (`E'..'`, `U&'..'`, `DATE'..'` stay as written); SQLite
 * blobs `x'..'` are literals too. A number run that goes on with letters (`0x1F`, `1e`) is not
 * a plain literal, and what cannot bind to the same value (an integer past 64 bits, an odd hex
 * blob) stays in the text.
 */
export function shapeSql(sql: string, dialect: SqlDialect): SqlShape | undefined {
  if (MENTIONS_MARKER.test(sql)) return undefined;
  const sqlite = dialect === 'sqlite';
  const found: LiteralAt[] = [];
  let highestParameter = 0;
  let positionalCount = 0;
  const length = sql.length;
  let index = 0;
  let verbatim: SqlVerbatimKind | undefined;
  const plainCode = PLAIN_CODE[dialect];
  while (index < length) {
    plainCode.lastIndex = index;
    plainCode.test(sql);
    index = plainCode.lastIndex;
    if (index === length) break;
    const char = sql.charCodeAt(index);
    const next = sql.charCodeAt(index + 1);
    if (char === DOLLAR && isDigit(next)) {
      const end = digitsEnd(sql, index + 1);
      highestParameter = Math.max(highestParameter, Number(sql.slice(index + 1, end)));
      index = end;
    } else if (char === QUESTION_MARK) {
      if (isDigit(next)) index = digitsEnd(sql, index + 1);
      else {
        positionalCount++;
        index++;
      }
    } else if (isDigit(char) || (char === DOT && isDigit(next))) {
      const end = numberEnd(sql, index);
      if (isIdentifierChar(sql.charCodeAt(end))) index = identifierEnd(sql, end);
      else {
        const literal = numberLiteral(sql, index, end, sqlite);
        if (literal !== undefined) found.push(literal);
        index = end;
      }
    } else if ((verbatim = verbatimKindAt(char, next, dialect)) !== undefined) {
      const end = verbatimEnd(sql, index);
      // Nothing after an unclosed part is code.
      if (end === UNCLOSED) break;
      if (verbatim === 'string') {
        const literal = stringLiteral(sql, index, end, sqlite);
        if (literal !== undefined) found.push(literal);
      }
      index = end;
    } else {
      index++;
    }
  }
  const firstMarker = highestParameter + 1;
  let text = '';
  let copied = 0;
  found.forEach((literal, literalIndex) => {
    const marker = sqlite ? ` :${SQLITE_MARKER_PREFIX}${literalIndex} ` : ` $${firstMarker + literalIndex} `;
    text += sql.slice(copied, literal.start) + marker;
    copied = literal.end;
  });
  text += sql.slice(copied);
  return { text, literals: found, firstMarker, positionalCount };
}

/**
 * Code the scan below would step over without finding anything: identifier runs (not `$1`) and
 * the characters that start no literal, parameter, string, quoted name or comment. One sticky
 * match skips them natively; a character loop over them cost most of a new text's analysis.
 * Never backtracks: nothing follows the repetition.
 */
const PLAIN_CODE: Readonly<Record<SqlDialect, RegExp>> = {
  sqlite: /(?:(?:[A-Za-z_\u0080-\uffff]|\$(?!\d))[\w$\u0080-\uffff]*|[^\w$.?'"`[\-/\u0080-\uffff]|\.(?!\d)|-(?!-)|\/(?!\*))*/y,
  postgresql: /(?:(?:[A-Za-z_\u0080-\uffff]|\$(?!\d))[\w$\u0080-\uffff]*|[^\w$.?'"\-/\u0080-\uffff]|\.(?!\d)|-(?!-)|\/(?!\*))*/y,
};

const DASH = 45;
const DOLLAR = 36;
const QUESTION_MARK = 63;
const DOT = 46;
const AMPERSAND = 38;

function isDigit(char: number): boolean {
  return char >= 48 && char <= 57;
}

/** Letters, digits, `_`, `$` and anything past ASCII, as both databases read identifiers. */
function isIdentifierChar(char: number): boolean {
  return isDigit(char) || (char >= 65 && char <= 90) || (char >= 97 && char <= 122) || char === 95 || char === DOLLAR || char >= 128;
}

function identifierEnd(sql: string, from: number): number {
  let end = from;
  while (end < sql.length && isIdentifierChar(sql.charCodeAt(end))) end++;
  return end;
}

function digitsEnd(sql: string, from: number): number {
  let end = from;
  while (isDigit(sql.charCodeAt(end))) end++;
  return end;
}

/** `12`, `1.5`, `.5`, `1.`, `1e3`, `1.5E-3`. */
function numberEnd(sql: string, from: number): number {
  let end = digitsEnd(sql, from);
  if (sql.charCodeAt(end) === DOT) end = digitsEnd(sql, end + 1);
  const exponent = sql.charCodeAt(end);
  if (exponent === 101 || exponent === 69) {
    const sign = sql.charCodeAt(end + 1);
    const digits = sign === 43 || sign === DASH ? end + 2 : end + 1;
    if (isDigit(sql.charCodeAt(digits))) end = digitsEnd(sql, digits);
  }
  return end;
}

function stringLiteral(sql: string, start: number, end: number, sqlite: boolean): LiteralAt | undefined {
  const before = sql.charCodeAt(start - 1);
  const body = sql.slice(start + 1, end - 1);
  if (!isIdentifierChar(before) && before !== AMPERSAND) return { text: sql.slice(start, end), value: body.replaceAll("''", "'"), start, end };
  const isBlob = sqlite && (before === 120 || before === 88) && !isIdentifierChar(sql.charCodeAt(start - 2)) && HEX.test(body);
  return isBlob ? { text: sql.slice(start - 1, end), value: Buffer.from(body, 'hex'), start: start - 1, end } : undefined;
}

/** Built in place: a spread of a literal into a new object costs more than the rest of the scan. */
function numberLiteral(sql: string, start: number, end: number, sqlite: boolean): LiteralAt | undefined {
  const text = sql.slice(start, end);
  if (!sqlite) return { text, value: text, start, end };
  if (!/^\d+$/.test(text)) return { text, value: Number(text), start, end };
  const integer = BigInt(text);
  // SQLite reads a larger integer as REAL, and `-9223372036854775808` as INTEGER: leave those to it.
  return integer <= INT64_MAX ? { text, value: integer, start, end } : undefined;
}

/** The literal index a SQLite marker in code stands for. */
export function sqliteMarkerIndex(token: string): number | undefined {
  return token.startsWith(`:${SQLITE_MARKER_PREFIX}`) ? Number(token.slice(SQLITE_MARKER_PREFIX.length + 1)) : undefined;
}

/** Where a marker the parser read as a named parameter (SQLite). */
export function isSqliteMarkerName(name: unknown): name is string {
  return typeof name === 'string' && name.startsWith(SQLITE_MARKER_PREFIX) && /^\d+$/.test(name.slice(SQLITE_MARKER_PREFIX.length));
}
