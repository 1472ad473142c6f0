import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the decorators record lives in one store per process, not one per copy of the library:
 * a plugin package compiled against its own copy (its devDependency, or a `file:` install with
 * its own node_modules) decorates classes that the application's copy reads. `Symbol.for` keys
 * are the same in every copy. The format number changes whenever a record's shape does, so
 * copies that record differently keep apart, and the loader names the other copy instead.
 */
export const DECLARATIONS_FORMAT = 1;

type SharedStores = Record<symbol, unknown>;

function shared<T>(name: string, create: () => T): T {
  const stores = globalThis as unknown as SharedStores;
  const key = Symbol.for(`nestjs-plugins:${name}@${DECLARATIONS_FORMAT}`);
  return (stores[key] ??= create()) as T;
}

/** The process-wide WeakMap named `name`. */
export function sharedWeakMap<K extends object, V>(name: string): WeakMap<K, V> {
  return shared(name, () => new WeakMap<K, V>());
}

/** The process-wide WeakSet named `name`. */
export function sharedWeakSet<T extends object>(name: string): WeakSet<T> {
  return shared(name, () => new WeakSet<T>());
}

/** The process-wide flags named `name` (a plain object every copy writes and reads). */
export function sharedFlags<T extends object>(name: string, initial: T): T {
  return shared(name, () => ({ ...initial }));
}

/** Which copy of the library decorated a class: kept in a shape no format change may alter. */
export interface DecoratingCopy {
  readonly format: number;
  /** the copy's own folder (`dist/lib` of its package) */
  readonly directory: string;
}

const DECORATED_BY = Symbol.for('nestjs-plugins:decorated-by');
const THIS_COPY: DecoratingCopy = { format: DECLARATIONS_FORMAT, directory: dirname(dirname(fileURLToPath(import.meta.url))) };

/** Marks `pluginClass` as decorated by this copy, so a copy that cannot read its records can name this one. */
export function markDecoratedByThisCopy(pluginClass: Function): void {
  Object.defineProperty(pluginClass, DECORATED_BY, { value: THIS_COPY, configurable: true });
}

/** The copy that decorated `candidate`, when it is another one than this. */
export function otherDecoratingCopy(candidate: unknown): DecoratingCopy | undefined {
  if (typeof candidate !== 'function') return undefined;
  const copy = (candidate as unknown as Record<symbol, DecoratingCopy | undefined>)[DECORATED_BY];
  return copy !== undefined && copy.directory !== THIS_COPY.directory ? copy : undefined;
}
