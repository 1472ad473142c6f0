import type { SqlDialect } from './sql-dialect.js';
import { splitSqlText } from './sql-text.js';

/**
 * A token of SQL text: a bare word (keyword or unquoted identifier, `value` case-folded as
 * both databases fold it), a quoted identifier (`value` unquoted), a string literal, or any
 * other character (`value` as written).
 */
export interface SqlToken {
  readonly kind: 'word' | 'identifier' | 'string' | 'symbol';
  readonly value: string;
}

const CODE_TOKEN = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*|[0-9]+(?:\.[0-9]*)?|::|\S/g;

/** The tokens of `sql`, comments dropped, read as splitSqlText reads the text. */
export function sqlTokens(sql: string, dialect: SqlDialect): SqlToken[] {
  const tokens: SqlToken[] = [];
  for (const part of splitSqlText(sql, dialect)) {
    if (part.kind === 'comment') continue;
    if (part.kind === 'quoted') {
      tokens.push(quotedToken(part.text));
      continue;
    }
    for (const [text] of part.text.matchAll(CODE_TOKEN)) {
      tokens.push(/^[A-Za-z_\u0080-\uffff]/.test(text) ? { kind: 'word', value: foldWord(text) } : { kind: 'symbol', value: text });
    }
  }
  return tokens;
}

/** The tokens of each `;`-separated statement, empty statements dropped. */
export function sqlStatementsTokens(tokens: readonly SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.value === ';') statements.push([]);
    else statements[statements.length - 1]!.push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

function quotedToken(text: string): SqlToken {
  const open = text[0]!;
  if (open === "'") return { kind: 'string', value: text.slice(1, -1).replaceAll("''", "'") };
  const close = open === '[' ? ']' : open;
  const body = text.endsWith(close) && text.length > 1 ? text.slice(1, -1) : text.slice(1);
  return { kind: 'identifier', value: open === '[' ? body : body.replaceAll(close + close, close) };
}

/** ASCII letters only, as both databases fold unquoted names. */
function foldWord(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
