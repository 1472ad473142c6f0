import { foldIdentifier } from '../sql-ast.js';
import { UNCLOSED, verbatimEnd, verbatimKindAt } from '../sql-lexer.js';
import { UnparseableSql } from '../parse-sql.js';

/**
 * A token of SQLite text with its span: a bare `word` (value as written), a `quoted`
 * identifier (value unquoted), a `literal` (string, number or blob), a `parameter` (`?`,
 * `?NNN`, `:name`, `@name`, `$name`, `#name`), or a `symbol` (`||`, `<=`, `(`...).
 */
export interface SqliteToken {
  readonly kind: 'word' | 'quoted' | 'literal' | 'parameter' | 'symbol';
  readonly value: string;
  /** `value` case-folded (words and quoted identifiers; SQLite compares names without case) */
  readonly folded: string;
  readonly start: number;
  readonly end: number;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(?:0[xX][0-9A-Fa-f_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)(?![A-Za-z0-9_$\u0080-\uffff])/y;
const PARAMETER = /\?\d*|[:@$#][A-Za-z0-9_$\u0080-\uffff]*(?:::[A-Za-z0-9_$\u0080-\uffff]+)*/y;
const SYMBOL = /\|\||->>|->|<=|>=|<>|!=|==|<<|>>|[^\s]/y;
const SPACE = /\s+/y;

/**
 * The tokens of `sql`, comments dropped, in one pass. Quotes and comments end where
 * sql-lexer.ts says, as for the shape scan; an unclosed one ends the text (UnparseableSql).
 */
export function sqliteTokens(sql: string): SqliteToken[] {
  const tokens: SqliteToken[] = [];
  let index = 0;
  while (index < sql.length) {
    SPACE.lastIndex = index;
    if (SPACE.test(sql)) index = SPACE.lastIndex;
    if (index >= sql.length) break;
    const char = sql.charCodeAt(index);
    const verbatim = verbatimKindAt(char, sql.charCodeAt(index + 1), 'sqlite');
    if (verbatim !== undefined) {
      const end = verbatimEnd(sql, index);
      if (end === UNCLOSED) throw new UnparseableSql('cannot parse it: unexpected end of input');
      if (verbatim === 'string') tokens.push({ kind: 'literal', value: sql.slice(index, end), folded: '', start: index, end });
      else if (verbatim === 'identifier') {
        const value = unquote(sql.slice(index, end));
        tokens.push({ kind: 'quoted', value, folded: foldIdentifier(value), start: index, end });
      }
      index = end;
      continue;
    }
    const token = readToken(sql, index);
    tokens.push(token);
    index = token.end;
  }
  return tokens;
}

function readToken(sql: string, index: number): SqliteToken {
  const char = sql[index]!;
  // x'01ab' is a blob literal.
  if ((char === 'x' || char === 'X') && sql[index + 1] === "'") {
    const end = verbatimEnd(sql, index + 1);
    if (end === UNCLOSED) throw new UnparseableSql('cannot parse it: unexpected end of input');
    return { kind: 'literal', value: sql.slice(index, end), folded: '', start: index, end };
  }
  for (const [kind, pattern] of PATTERNS) {
    pattern.lastIndex = index;
    const match = pattern.exec(sql);
    if (match !== null) return { kind, value: match[0], folded: kind === 'word' ? foldIdentifier(match[0]) : '', start: index, end: index + match[0].length };
  }
  return { kind: 'symbol', value: char, folded: '', start: index, end: index + 1 };
}

const PATTERNS: readonly [SqliteToken['kind'], RegExp][] = [
  ['word', WORD],
  ['literal', NUMBER],
  ['parameter', PARAMETER],
  ['symbol', SYMBOL],
];

function unquote(text: string): string {
  const open = text[0]!;
  if (open === '[') return text.slice(1, -1);
  return text.slice(1, -1).replaceAll(open + open, open);
}
