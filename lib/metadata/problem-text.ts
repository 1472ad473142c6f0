/** A plugin name: kebab-case, starting with a letter. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

export function isPluginName(value: unknown): value is string {
  return typeof value === 'string' && PLUGIN_NAME_PATTERN.test(value);
}

/**
 * How a rejected value is quoted in a problem: JSON (strings quoted), `undefined` as is.
 * Never throws, whatever the value (plugin code may pass objects whose `toString` throws).
 */
export function describeValue(value: unknown): string {
  // JSON.stringify returns undefined for functions and symbols, and throws on bigints and cycles.
  if (typeof value === 'function') return `[class ${value.name || 'anonymous'}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return plainString(value);
  }
}

function plainString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `[${typeof value}]`;
  }
}

export function nameProblem(path: string, value: unknown): string {
  return `${path} must be kebab-case matching ${PLUGIN_NAME_PATTERN} (got ${describeValue(value)})`;
}
