import { SqlTooLargeError } from '../../errors/index.js';

/** What a plugin may send in one `executeQuery`: `maxSqlBytes` and `maxSqlParamBytes`. */
export interface SqlSizeLimits {
  readonly maxSqlBytes: number;
  readonly maxSqlParamBytes: number;
}

/** A number, bigint, boolean, date, null or undefined parameter: what the driver binds for it, at most. */
const FIXED_PARAM_BYTES = 8;

/**
 * Refuses a statement or parameters above the limits before anything reads them further. Cheap
 * on the hot path: a text whose length (UTF-16 units, each at most 3 UTF-8 bytes) cannot pass
 * the limit is not measured, nor are parameters whose bound of the same kind cannot.
 */
export function assertSqlSize(pluginName: string, sql: string, params: unknown, limits: SqlSizeLimits): void {
  if (typeof sql === 'string' && sql.length * 3 > limits.maxSqlBytes) {
    const bytes = Buffer.byteLength(sql);
    if (bytes > limits.maxSqlBytes) throw new SqlTooLargeError(pluginName, 'statement', bytes, limits.maxSqlBytes);
  }
  if (!Array.isArray(params) || params.length === 0) return;
  if (upperBound(params) <= limits.maxSqlParamBytes) return;
  const bytes = paramBytes(params);
  if (bytes > limits.maxSqlParamBytes) throw new SqlTooLargeError(pluginName, 'parameters', bytes, limits.maxSqlParamBytes);
}

function upperBound(params: readonly unknown[]): number {
  let bytes = 0;
  for (const param of params) bytes += typeof param === 'string' ? param.length * 3 : typeof param === 'object' && param !== null ? Infinity : FIXED_PARAM_BYTES;
  return bytes;
}

/**
 * Strings count their UTF-8 bytes, binary values (Buffer, typed arrays, ArrayBuffer) their
 * bytes, and other objects (arrays, JSON values on PostgreSQL) the UTF-8 bytes of their JSON,
 * which is what the driver sends; an object with no JSON is left to the driver to refuse.
 */
function paramBytes(params: readonly unknown[]): number {
  let bytes = 0;
  for (const param of params) {
    if (typeof param === 'string') bytes += Buffer.byteLength(param);
    else if (ArrayBuffer.isView(param) || param instanceof ArrayBuffer) bytes += param.byteLength;
    else if (typeof param === 'object' && param !== null && !(param instanceof Date)) bytes += jsonBytes(param);
    else bytes += FIXED_PARAM_BYTES;
  }
  return bytes;
}

function jsonBytes(value: object): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 0;
  }
}
