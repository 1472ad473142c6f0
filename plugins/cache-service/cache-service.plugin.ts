import { Expose, Plugin } from 'nestjs-plugins';

interface CacheEntry {
  value: unknown;
  /** epoch ms; undefined = never expires */
  expiresAt?: number;
}

/** A key-value cache for other plugins. Expiry is checked on read, so no timers keep the process alive. */
@Plugin({ name: 'cache-service', version: '1.0.0', description: 'In-memory key-value cache with TTL' })
export class CacheServicePlugin {
  private readonly entries = new Map<string, CacheEntry>();

  /** null when absent or expired (an expired entry is dropped). */
  @Expose()
  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt !== undefined && Date.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  /** `ttlMs` omitted: kept until deleted. */
  @Expose()
  set(key: string, value: unknown, ttlMs?: number): void {
    if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs > 0)) {
      throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${ttlMs})`);
    }
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
  }

  @Expose()
  delete(key: string): void {
    this.entries.delete(key);
  }
}

export default CacheServicePlugin;
