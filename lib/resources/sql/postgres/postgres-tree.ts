import { MAX_SQL_NESTING, nestsTooDeep } from '../sql-nesting.js';

/** A node of PostgreSQL's parse tree as libpg-query gives it: `{ SelectStmt: { ...fields } }`. */
export type PgFields = Record<string, unknown>;

export function isObject(value: unknown): value is PgFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type and fields of a node (`{ RangeVar: {...} }`), or undefined for a plain object of fields. */
export function nodeOf(value: unknown): [string, PgFields] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const type = keys[0]!;
  const fields = value[type];
  const first = type.charCodeAt(0);
  return first >= 65 && first <= 90 && isObject(fields) ? [type, fields] : undefined;
}

/** `[{ String: { sval } }, ...]` as strings; undefined when a part is something else (`*`). */
export function stringList(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const strings: string[] = [];
  for (const item of list) {
    const node = nodeOf(item);
    if (node === undefined || node[0] !== 'String' || typeof node[1].sval !== 'string') return undefined;
    strings.push(node[1].sval);
  }
  return strings;
}

/** The string of a plain string constant node (`'seq'`). */
export function stringConstant(value: unknown): string | undefined {
  const node = nodeOf(value);
  if (node === undefined || node[0] !== 'A_Const' || !isObject(node[1].sval)) return undefined;
  const sval = node[1].sval.sval;
  return typeof sval === 'string' ? sval : undefined;
}

/**
 * Throws `nestsTooDeep()` when a PostgreSQL parse tree nests too deep (counting nodes, not the
 * objects and arrays between them); walks with a stack of its own, so any depth costs linear
 * time and no recursion.
 */
export function assertTreeNestingWithin(value: unknown): void {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' && element !== null) pending.push([element, depth]);
      continue;
    }
    const level = nodeOf(item) === undefined ? depth : depth + 1;
    if (level > MAX_SQL_NESTING) throw nestsTooDeep();
    for (const key in item as object) {
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push([child, level]);
    }
  }
}
