/** How many values one label may take per method (tenants, error codes); later ones count as `other`. */
export const MAX_LABEL_VALUES = 100;
export const OTHER_LABEL_VALUE = 'other';
/** The `caller` of a call made by the host's own code (plugin names are kebab-case, so none can be this). */
export const HOST_CALLER = '(host)';
/** The `code` of an error that carries no string `code`. */
export const UNCODED_ERROR = 'UNKNOWN';

const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The `code` label of a thrown value: its string `code` when it looks like one, else `UNKNOWN`. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CODE_PATTERN.test(code) ? code : UNCODED_ERROR;
}

/** `map.get(key)`, or a new entry while there are fewer than `MAX_LABEL_VALUES`, else the `other` entry. */
export function boundedEntry<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value !== undefined) return value;
  if (map.size >= MAX_LABEL_VALUES) key = OTHER_LABEL_VALUE;
  value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}
