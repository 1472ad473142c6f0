import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import { sharedFlags } from './shared-declarations.js';

/** class-validator and class-transformer, for plugins' `configSchema` and `@Expose({ validate: true })`. */
export interface ValidationLibraries {
  readonly validator: typeof ClassValidator;
  readonly transformer: typeof ClassTransformer;
}

let loading: Promise<ValidationLibraries> | undefined;
/** Shared, as a plugin decorated by another copy of the library declares the need there. */
const need = sharedFlags('validation-needed', { declared: false });
let loaded: ValidationLibraries | undefined;

/**
 * Loads them on first need rather than when the library is imported: together they cost
 * about 300 ms and 4 MB, which an application without configuration schemas or validated
 * calls never needs to pay.
 */
export function loadValidationLibraries(): Promise<ValidationLibraries> {
  loading ??= Promise.all([import('class-validator'), import('class-transformer')]).then(([validator, transformer]) => (loaded = { validator, transformer }));
  return loading;
}

/**
 * Called by `@Plugin({ configSchema })`: a plugin's constructor may read `ctx.config` while
 * Nest builds it, so boot loads the libraries before Nest builds anything.
 */
export function declareValidationNeeded(): void {
  need.declared = true;
}

/** Loads them when some `@Plugin` declared a `configSchema` (boot awaits this while Nest scans). */
export async function loadDeclaredValidationLibraries(): Promise<void> {
  if (need.declared) await loadValidationLibraries();
}

/** For synchronous code that runs only after `loadValidationLibraries` resolved (registration awaits it). */
export function loadedValidationLibraries(): ValidationLibraries {
  if (loaded === undefined) throw new Error('class-validator is used before it was loaded: await loadValidationLibraries() first');
  return loaded;
}
