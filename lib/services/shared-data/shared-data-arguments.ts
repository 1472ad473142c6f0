import { SharedDataArgumentError, SharedDataValueError } from '../../errors/shared-data.errors.js';

/** Longest namespace, key or owner accepted: the width of their columns. */
export const SHARED_DATA_NAME_MAX_LENGTH = 255;

export type SharedDataName = 'namespace' | 'key' | 'ownerId';

/** Namespaces, keys and owners are non-empty strings that fit their column. */
export function assertSharedDataName(argument: SharedDataName, value: unknown): asserts value is string {
  if (typeof value === 'string' && value.length > 0 && value.length <= SHARED_DATA_NAME_MAX_LENGTH) return;
  const got = typeof value === 'string' ? `${value.length} characters` : typeof value;
  throw new SharedDataArgumentError(argument, `must be a non-empty string of at most ${SHARED_DATA_NAME_MAX_LENGTH} characters, got ${got}`);
}

/** The JSON text stored for `value`; refuses what JSON cannot carry rather than storing something else. */
export function serializeSharedValue(namespace: string, key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // V8 explains a cycle over several lines; the first says what is wrong, the cause keeps the rest.
    const reason = (error as Error).message.split('\n')[0];
    throw new SharedDataValueError(namespace, key, `the value is not JSON-serialisable (${reason})`, { cause: error });
  }
  // JSON.stringify answers undefined, not an error, for undefined, functions and symbols.
  if (json === undefined) throw new SharedDataValueError(namespace, key, `${typeof value} is not a JSON value`);
  return json;
}
