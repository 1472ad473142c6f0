import type { LeaseClaim, LeaseStore } from './lease-store.interface.js';

interface Lease {
  holder: string;
  expiresAt: number;
  nextRunAt: number;
}

/**
 * Leases in this process's memory: what global tasks use when the application has no
 * database to share them through (one process, so one holder is all it can guarantee).
 * The same rules as the SQL store, which the unit tests pin on both.
 */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, holder: string, leaseMs: number): Promise<LeaseClaim> {
    const now = this.now();
    const lease = this.leases.get(key);
    if (lease === undefined) {
      this.leases.set(key, { holder, expiresAt: now + leaseMs, nextRunAt: now });
      return { held: true, dueInMs: 0 };
    }
    if (lease.holder !== holder && lease.expiresAt > now) return { held: false, retryInMs: lease.expiresAt - now };
    lease.holder = holder;
    lease.expiresAt = now + leaseMs;
    return { held: true, dueInMs: lease.nextRunAt - now };
  }

  async beginRun(key: string, holder: string, leaseMs: number, everyMs: number): Promise<boolean> {
    const lease = this.held(key, holder);
    if (lease === undefined) return false;
    lease.expiresAt = this.now() + leaseMs;
    lease.nextRunAt = this.now() + everyMs;
    return true;
  }

  async renew(key: string, holder: string, leaseMs: number): Promise<boolean> {
    const lease = this.held(key, holder);
    if (lease === undefined) return false;
    lease.expiresAt = this.now() + leaseMs;
    return true;
  }

  async release(key: string, holder: string): Promise<void> {
    const lease = this.leases.get(key);
    if (lease?.holder === holder) lease.expiresAt = 0;
  }

  private held(key: string, holder: string): Lease | undefined {
    const lease = this.leases.get(key);
    return lease !== undefined && lease.holder === holder && lease.expiresAt > this.now() ? lease : undefined;
  }
}
