import type { SqliteToken } from './sqlite-tokens.js';

/** The words and symbols the SQLite reader acts on. */

/** Clauses whose literals stay in the text: a value there is a column position, or names the column. */
export const INLINE_CLAUSES: ReadonlySet<string> = new Set(['group', 'order', 'window', 'over', 'inline']);
export const CLAUSE_WORDS: ReadonlySet<string> = new Set(['where', 'group', 'having', 'order', 'limit', 'window', 'returning', 'set', 'values']);
/** What a parenthesis opens, by the word before it: OVER's window and likelihood()'s arguments keep their literals. */
export const OPENING_CLAUSES: ReadonlyMap<string, string> = new Map([
  ['over', 'over'],
  ['likelihood', 'inline'],
  ['cast', 'cast'],
]);
export const SET_OPERATORS: ReadonlySet<string> = new Set(['union', 'intersect', 'except']);
/** Words after a table name that are not its alias. */
export const NOT_ALIASES: ReadonlySet<string> = new Set([
  'where', 'group', 'having', 'order', 'limit', 'offset', 'join', 'inner', 'left', 'right', 'full', 'outer', 'cross',
  'natural', 'on', 'using', 'set', 'union', 'intersect', 'except', 'window', 'returning', 'values', 'default', 'select',
  'indexed', 'not', 'from', 'do',
]);
/** What a statement cannot end with. */
const DANGLING_WORDS: ReadonlySet<string> = new Set(['where', 'and', 'or', 'not', 'from', 'join', 'on', 'select', 'set', 'values', 'by', 'having', 'limit', 'offset', 'into', 'union', 'is', 'in', 'like', 'between']);
const DANGLING_SYMBOLS = /^(?:[-+*/%=<>,.(|&~!]|\|\||<=|>=|<>|!=|==|<<|>>|->|->>)$/;
export const NAMED_PARAMETERS = 'named parameters are not supported; use ? (SQLite) or $1, $2... (PostgreSQL)';

/** Whether a statement ending with `token` is cut short. */
export function isDangling(token: SqliteToken): boolean {
  if (token.kind === 'word') return DANGLING_WORDS.has(token.folded);
  return token.kind === 'symbol' && DANGLING_SYMBOLS.test(token.value) && token.value !== ')' && token.value !== '*';
}
