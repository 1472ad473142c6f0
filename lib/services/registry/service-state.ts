import type { ServiceState } from './service.types.js';

/**
 * A remote service's state from the time it was last heard of: HEALTHY, DEGRADED once more
 * than `staleAfterMs` passed, UNAVAILABLE once more than twice that. Computed on every read
 * from the clock, so no timer has to run to move a service along.
 */
export function serviceStateAt(lastSeenMs: number, nowMs: number, staleAfterMs: number): ServiceState {
  const silentForMs = nowMs - lastSeenMs;
  if (silentForMs > 2 * staleAfterMs) return 'UNAVAILABLE';
  if (silentForMs > staleAfterMs) return 'DEGRADED';
  return 'HEALTHY';
}
