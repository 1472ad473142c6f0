import { SharedDataArgumentError } from '../../errors/shared-data.errors.js';

/**
 * When an entry set at `now` (epoch ms) with `ttl` seconds expires, in whole epoch ms (the
 * column is an integer); null when it never does.
 */
export function expiresAtFor(now: number, ttl: number | undefined): number | null {
  if (ttl === undefined) return null;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) {
    throw new SharedDataArgumentError('ttl', `must be a positive number of seconds, got ${String(ttl)}`);
  }
  return Math.round(now + ttl * 1000);
}

/** An entry is live until its expiry instant; from then on it counts as absent. The SQL statements say the same. */
export function isLive(expiresAt: number | null, now: number): boolean {
  return expiresAt === null || expiresAt > now;
}
