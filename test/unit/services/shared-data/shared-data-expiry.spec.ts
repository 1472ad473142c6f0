import { SharedDataArgumentError } from '../../../../lib/errors/shared-data.errors.js';
import { expiresAtFor, isLive } from '../../../../lib/services/shared-data/shared-data-expiry.js';

describe('shared data expiry', () => {
  const now = 1_700_000_000_000;

  it('never expires without a ttl', () => {
    expect(expiresAtFor(now, undefined)).toBeNull();
    expect(isLive(null, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('counts the ttl in seconds, fractions included, rounded to whole ms', () => {
    expect(expiresAtFor(now, 3600)).toBe(now + 3_600_000);
    expect(expiresAtFor(now, 0.2)).toBe(now + 200);
    expect(expiresAtFor(now, 0.0004)).toBe(now);
    expect(expiresAtFor(now + 0.6, 1)).toBe(now + 1001);
  });

  it('is live until the expiry instant, absent from it on', () => {
    const expiresAt = expiresAtFor(now, 10)!;
    expect(isLive(expiresAt, now + 9_999)).toBe(true);
    expect(isLive(expiresAt, now + 10_000)).toBe(false);
    expect(isLive(expiresAt, now + 10_001)).toBe(false);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60'])('refuses the ttl %p', (ttl) => {
    expect(() => expiresAtFor(now, ttl as number)).toThrow(SharedDataArgumentError);
    expect(() => expiresAtFor(now, ttl as number)).toThrow(`Invalid shared data ttl: must be a positive number of seconds, got ${String(ttl)}`);
  });
});
