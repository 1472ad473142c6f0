import { performance } from 'node:perf_hooks';
import type { LeaseStore } from './lease-store.interface.js';
import type { TaskFunction } from '../interfaces/facets/tasks.facet.js';

/** How a global task holds its lease. */
export interface TaskLease {
  /** the store, once it is ready (its table registered) */
  readonly store: () => Promise<LeaseStore>;
  /** unique to this runner: a holder never mistakes another runner's lease for its own */
  readonly holder: string;
  readonly leaseMs: number;
}

export interface TaskRunnerOptions {
  /** `<plugin>/<id>`: the lease key */
  readonly key: string;
  readonly everyMs: number;
  readonly fn: TaskFunction;
  /** a run that failed, or a store that did; the runner carries on */
  readonly onError: (error: unknown) => void;
  /** absent: a local task */
  readonly lease?: TaskLease;
}

/** Shortest wait between two claims, so a lease released or expiring just now is not asked for in a busy loop. */
const MIN_RETRY_MS = 5;

/**
 * Runs one scheduled task until stopped: one run at a time, each start `everyMs` after the
 * previous one (or at its end, if it ran longer).
 *
 * A global task runs only under its lease. A run starts only after `beginRun` extended a
 * live lease, counted from before the statement was sent (so from no later than the store's
 * own start of it); during the run the lease is renewed every third of its length, and
 * when it has not been renewed by the end of its length the run's signal is aborted.
 * Between runs the holder keeps renewing; others wait until it expires (at most `leaseMs`
 * after the holder died) and take it over. The due time lives with the lease, so a new
 * holder keeps the old schedule instead of running at once.
 */
export class TaskRunner {
  private stopped = false;
  private holding = false;
  private wake?: () => void;
  private running?: AbortController;
  private loop?: Promise<void>;

  constructor(private readonly options: TaskRunnerOptions) {}

  start(): void {
    this.loop ??= this.runLoop();
  }

  /**
   * No run starts once this is called; a run under way is aborted and awaited for at most
   * `waitMs`. A held lease is released when no run of this runner is still going.
   */
  async stop(waitMs: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.running?.abort();
    if (this.loop === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
  }

  private async runLoop(): Promise<void> {
    const lease = this.options.lease;
    while (!this.stopped) {
      let delay: number;
      try {
        delay = lease === undefined ? await this.localStep() : await this.globalStep(lease);
      } catch (error) {
        this.options.onError(error);
        delay = lease === undefined ? this.options.everyMs : renewEvery(lease);
      }
      await this.sleep(delay);
    }
    if (lease !== undefined && this.holding) {
      // A stopping application may already have closed its database: the lease then simply expires.
      await lease.store().then((store) => store.release(this.options.key, lease.holder)).catch(() => undefined);
    }
  }

  private async localStep(): Promise<number> {
    const startedAt = performance.now();
    await this.runOnce(undefined);
    return Math.max(0, this.options.everyMs - (performance.now() - startedAt));
  }

  private async globalStep(lease: TaskLease): Promise<number> {
    const { key, everyMs } = this.options;
    const store = await lease.store();
    const claim = await store.claim(key, lease.holder, lease.leaseMs);
    this.holding = claim.held;
    if (!claim.held) return Math.min(Math.max(claim.retryInMs, MIN_RETRY_MS), renewEvery(lease));
    if (claim.dueInMs > 0) return Math.min(claim.dueInMs, renewEvery(lease));
    if (this.stopped) return 0;
    const askedAt = performance.now();
    if (!(await store.beginRun(key, lease.holder, lease.leaseMs, everyMs))) {
      this.holding = false;
      return 0;
    }
    // The statement may have taken the whole lease: then it is no longer ours to run under.
    if (performance.now() >= askedAt + lease.leaseMs) return 0;
    await this.runOnce({ store, lease, validUntil: askedAt + lease.leaseMs });
    return 0;
  }

  private async runOnce(fencing: { store: LeaseStore; lease: TaskLease; validUntil: number } | undefined): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.running = controller;
    const heartbeat = fencing === undefined ? undefined : this.keepLease(fencing, controller);
    try {
      await this.options.fn({ signal: controller.signal });
    } catch (error) {
      this.options.onError(error);
    } finally {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      this.running = undefined;
      if (controller.signal.aborted && fencing !== undefined && !this.stopped) this.holding = false;
    }
  }

  /** Renews the lease during a run; aborts the run when it was lost or ran out unrenewed. */
  private keepLease(fencing: { store: LeaseStore; lease: TaskLease; validUntil: number }, controller: AbortController): NodeJS.Timeout {
    const { store, lease } = fencing;
    let validUntil = fencing.validUntil;
    let renewing = false;
    const heartbeat = setInterval(() => {
      if (performance.now() >= validUntil) controller.abort();
      if (renewing || controller.signal.aborted) return;
      renewing = true;
      const askedAt = performance.now();
      store
        .renew(this.options.key, lease.holder, lease.leaseMs)
        .then(
          (renewed) => (renewed ? (validUntil = askedAt + lease.leaseMs) : controller.abort()),
          (error: unknown) => this.options.onError(error),
        )
        .finally(() => (renewing = false));
    }, renewEvery(lease));
    heartbeat.unref();
    return heartbeat;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function renewEvery(lease: TaskLease): number {
  return Math.max(1, Math.floor(lease.leaseMs / 3));
}
