import type { SqlDialect } from './sql-dialect.js';
import { SqlRefusal } from './sql-refusal.js';
import { splitSqlText } from './sql-text.js';

/**
 * How deep a statement's syntax tree may nest (nodes, not arrays). Ordinary statements stay
 * well under 50; the guard's walkers, the printer and the engines recurse per level, and past
 * this they would run out of stack (SQLite itself stops expressions at 1000).
 */
export const MAX_SQL_NESTING = 1000;

/** The refusal for a statement nested too deep, whichever step found it. */
export function nestsTooDeep(): SqlRefusal {
  return new SqlRefusal(`the statement nests deeper than ${MAX_SQL_NESTING} levels`);
}

/** Whether an error is the JavaScript engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Tokens of code that end a chain of operators (punctuation and the clause words around
 * expressions), the chaining words, and runs of operator symbols (`<=`, `||` count once).
 */
const CHAIN_TOKEN = /[,();]|\b(?:SELECT|FROM|WHERE|GROUP|HAVING|ORDER|BY|LIMIT|ON|USING|JOIN|SET|VALUES|RETURNING|CASE|WHEN|THEN|ELSE|END)\b|\b(?:AND|OR)\b|[-+*/%<>=!|&~^]+/gi;
const CHAIN_END = /^(?:[,();]|[a-z]+)$/i;
const CHAINING_WORD = /^(?:AND|OR)$/i;

/**
 * Before parsing: refuses a text with more than twice MAX_SQL_NESTING operators in one chain
 * (`1+1+1+...`), which a parser would build into a tree as deep, or parentheses nested deeper
 * than MAX_SQL_NESTING. A linear scan of the code; a PostgreSQL tree that is deep for other
 * reasons is refused by the tree's reader (postgres-tree-reader.ts).
 */
export function assertOperatorChainsWithin(sql: string, dialect: SqlDialect): void {
  const limit = 2 * MAX_SQL_NESTING;
  // Strings and quoted names between the operators are operands: the chain goes on across them.
  let chain = 0;
  let depth = 0;
  for (const part of splitSqlText(sql, dialect)) {
    if (part.kind !== 'code') continue;
    for (const [token] of part.text.matchAll(CHAIN_TOKEN)) {
      if (token === '(' && ++depth > MAX_SQL_NESTING) throw nestsTooDeep();
      if (token === ')') depth--;
      if (CHAIN_END.test(token) && !CHAINING_WORD.test(token)) chain = 0;
      else if (++chain > limit) throw nestsTooDeep();
    }
  }
}
