/** A plugin name: kebab-case, starting with a letter. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

export function isPluginName(value: unknown): value is string {
  return typeof value === 'string' && PLUGIN_NAME_PATTERN.test(value);
}

/** How a rejected value is quoted in a problem: JSON (strings quoted), `undefined` as is. */
export function describeValue(value: unknown): string {
  // JSON.stringify returns undefined for functions and symbols, and throws on bigints and cycles.
  if (typeof value === 'function') return `[class ${value.name || 'anonymous'}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function nameProblem(path: string, value: unknown): string {
  return `${path} must be kebab-case matching ${PLUGIN_NAME_PATTERN} (got ${describeValue(value)})`;
}
