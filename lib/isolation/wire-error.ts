import * as libraryErrors from '../errors/index.js';

/** An error as it crosses the boundary: structured clone keeps neither its class nor its `code`. */
export interface WireError {
  readonly wireError: true;
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  /** own fields that clone safely (`pluginName`, `methodName`, …) */
  readonly fields: Record<string, unknown>;
}

/** carried apart, or (`httpStatus`) read from the class: a field of that name from the other side is ignored */
const SKIPPED_FIELDS = new Set(['name', 'message', 'stack', 'code', 'cause', 'httpStatus']);

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { wireError: true, name: 'Error', message: String(error), fields: {} };
  const fields = cloneSafeFields(error);
  const code = (error as { code?: unknown }).code;
  return { wireError: true, name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: error.stack, fields };
}

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as WireError).wireError === true;
}

/**
 * The error again, as an instance of the library's class of that name when there is one (so
 * `instanceof PluginCallTimeoutError` holds on the other side), else a plain `Error` with the name.
 */
export function fromWireError(wire: WireError): Error {
  const known = (libraryErrors as Record<string, unknown>)[wire.name];
  const error: Error = typeof known === 'function' && known.prototype instanceof Error ? Object.create(known.prototype) : new Error();
  Object.defineProperties(error, {
    message: { value: wire.message, writable: true, configurable: true },
    name: { value: wire.name, writable: true, configurable: true },
    stack: { value: wire.stack ?? `${wire.name}: ${wire.message}`, writable: true, configurable: true },
  });
  Object.assign(error, cloneSafeFields(wire.fields));
  if (wire.code !== undefined) Object.defineProperty(error, 'code', { value: wire.code, enumerable: true, configurable: true });
  return error;
}

function cloneSafeFields(source: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (!SKIPPED_FIELDS.has(key) && isCloneSafe(value)) fields[key] = value;
  }
  return fields;
}

function isCloneSafe(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  return Array.isArray(value) && value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
}
