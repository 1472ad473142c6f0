/** A node of PostgreSQL's parse tree as libpg-query gives it: `{ SelectStmt: { ...fields } }`. */
export type PgFields = Record<string, unknown>;

export function isObject(value: unknown): value is PgFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type and fields of a node (`{ RangeVar: {...} }`), or undefined for a plain object of fields. */
export function nodeOf(value: unknown): [string, PgFields] | undefined {
  if (!isObject(value)) return undefined;
  let type: string | undefined;
  for (const key in value) {
    if (type !== undefined) return undefined;
    type = key;
  }
  if (type === undefined) return undefined;
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
