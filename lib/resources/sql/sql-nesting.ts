import { isDerivedKey } from './sql-ast.js';
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

/** Throws `nestsTooDeep()` when `value` nests too deep; walks with a stack of its own, so any depth costs linear time and no recursion. */
export function assertNestingWithin(value: unknown): void {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' && element !== null) pending.push([element, depth]);
      continue;
    }
    if (depth >= MAX_SQL_NESTING) throw nestsTooDeep();
    for (const key in item as object) {
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && !isDerivedKey(key)) pending.push([child, depth + 1]);
    }
  }
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
 * (`1+1+1+...`), which the parser would build into a tree as deep, at a cost and with
 * garbage the host would pay for before assertNestingWithin refused it. A linear scan of the
 * code; an expression that is deep for other reasons is left to assertNestingWithin.
 */
export function assertOperatorChainsWithin(sql: string, dialect: SqlDialect): void {
  const limit = 2 * MAX_SQL_NESTING;
  // Strings and quoted names between the operators are operands: the chain goes on across them.
  let chain = 0;
  for (const part of splitSqlText(sql, dialect)) {
    if (part.kind !== 'code') continue;
    for (const [token] of part.text.matchAll(CHAIN_TOKEN)) {
      if (CHAIN_END.test(token) && !CHAINING_WORD.test(token)) chain = 0;
      else if (++chain > limit) throw nestsTooDeep();
    }
  }
}
