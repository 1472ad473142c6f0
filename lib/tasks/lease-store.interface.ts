/** The answer to a claim: held (and when the next run is due), or held by another instance until `retryInMs`. */
export type LeaseClaim = { readonly held: true; readonly dueInMs: number } | { readonly held: false; readonly retryInMs: number };

/**
 * Leases of global tasks, one row per task key. Times are the store's own clock, so the
 * instances' clocks need not agree; a holder measures its lease from before it asked.
 */
export interface LeaseStore {
  /** Takes the lease when it is free or expired, or extends it when `holder` has it already. */
  claim(key: string, holder: string, leaseMs: number): Promise<LeaseClaim>;
  /** Extends a lease `holder` still has (not expired) and marks the next run due `everyMs` from now; false otherwise. */
  beginRun(key: string, holder: string, leaseMs: number, everyMs: number): Promise<boolean>;
  /** Extends a lease `holder` still has (not expired); false when it is lost. */
  renew(key: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Ends `holder`'s lease now, so another instance may take it at once; the due time stays. */
  release(key: string, holder: string): Promise<void>;
}
