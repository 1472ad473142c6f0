import type { RestartOptions } from '../interfaces/isolation-options.interface.js';

const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_WINDOW_MS = 300_000;
const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 5_000;

/**
 * Counts crashes in a sliding window: each is restarted after a doubling delay, until one
 * crash more than `maxRestarts` falls inside `windowMs` (VS Code's crash-loop breaker).
 */
export class RestartPolicy {
  private readonly crashes: number[] = [];
  /** restarts allowed within `windowMs`: the "of max" in "restart n of max" */
  readonly maxRestarts: number;
  readonly windowMs: number;

  constructor(options: RestartOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  /** Crashes within the window as of the last `afterCrash`: the restart that follows is this one of `maxRestarts`. */
  get recentCrashes(): number {
    return this.crashes.length;
  }

  /** Records a crash at `now`: the delay before the restart, or `undefined` to give up. */
  afterCrash(now: number): number | undefined {
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0] <= now - this.windowMs) this.crashes.shift();
    if (this.crashes.length > this.maxRestarts) return undefined;
    return Math.min(FIRST_DELAY_MS * 2 ** (this.crashes.length - 1), MAX_DELAY_MS);
  }
}
