import type { PendingCalls } from '../observability/metrics/observed-call.js';

/**
 * Counts calls whose result is still pending, so an unload can let them finish. Only
 * thenables are counted: a synchronous call is over before anyone can unload.
 *
 * Watching a promise attaches a handler to it, so a rejected call result that its caller
 * ignores is no longer reported as an unhandled rejection.
 */
export class CallTracker implements PendingCalls {
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  readonly settled = (): void => {
    if (--this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  };

  /** A call's promise result is pending until `settled` is called (the call hook settles it in the reaction it already has). */
  started(): void {
    this.pending++;
  }

  /** Returns `result` itself, unchanged. */
  track<T>(result: T): T {
    if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
      this.pending++;
      (result as unknown as PromiseLike<unknown>).then(this.settled, this.settled);
    }
    return result;
  }

  get inFlight(): number {
    return this.pending;
  }

  /** Resolves `true` once no call is pending, or `false` when `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(wake);
    });
  }
}
