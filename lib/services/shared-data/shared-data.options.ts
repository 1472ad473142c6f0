/** Injection token of `SharedDataOptions`; optional. */
export const PLUGIN_SHARED_DATA_OPTIONS = Symbol('nestjs-plugins:SharedDataOptions');

export interface SharedDataOptions {
  /** How often expired rows are deleted; default 60 000. Reads never return them either way. */
  purgeIntervalMs?: number;
  /** The clock, in epoch ms; default `Date.now` (tests pass their own). */
  now?: () => number;
}
