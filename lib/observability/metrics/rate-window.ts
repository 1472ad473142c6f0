import { bucketQuantile, DURATION_BUCKETS_SECONDS } from './duration-histogram.js';
import type { PluginMetrics } from './plugin-metrics.js';

/** One plugin's calls, errors and duration buckets at one moment: its totals over every method and caller. */
interface PluginTotals {
  calls: number;
  errors: number;
  /** per bucket, not cumulative */
  readonly buckets: Float64Array;
}

interface Snapshot {
  readonly at: number;
  readonly plugins: Map<string, PluginTotals>;
}

/** A plugin's recent activity as the console shows it. */
export interface PluginRates {
  plugin: string;
  callsPerSecond: number;
  /** calls and errors over the window */
  calls: number;
  errors: number;
  /** errors / calls over the window; 0 without calls */
  errorRate: number;
  /** seconds; absent when no call in the window was timed */
  p95Seconds?: number;
}

/**
 * Rates over the last `windowMs`, from snapshots of the counters taken by `sample()` (the
 * console's timer). Differences of totals: no per-call work, and memory bounded by the
 * number of snapshots a window holds times the plugins.
 */
export class RateWindow {
  readonly #snapshots: Snapshot[] = [];

  constructor(
    private readonly metrics: PluginMetrics,
    readonly windowMs: number,
  ) {}

  sample(now = Date.now()): void {
    this.#snapshots.push({ at: now, plugins: totalsOf(this.metrics) });
    // The oldest kept is the one at or just before the window's start.
    while (this.#snapshots.length > 2 && this.#snapshots[1]!.at <= now - this.windowMs) this.#snapshots.shift();
  }

  /** Per plugin seen in the newest snapshot, over the span between the oldest and newest kept; empty before two samples. */
  rates(): PluginRates[] {
    return this.totals().map(ratesOf);
  }

  /** What `rates()` is computed from: per plugin, its calls, errors and duration buckets over the window. */
  totals(): PluginWindowTotals[] {
    const first = this.#snapshots[0];
    const last = this.#snapshots[this.#snapshots.length - 1];
    if (first === undefined || last === undefined || last === first) return [];
    const seconds = (last.at - first.at) / 1000;
    return [...last.plugins].map(([plugin, now]) => {
      const then = first.plugins.get(plugin) ?? { calls: 0, errors: 0, buckets: new Float64Array(now.buckets.length) };
      const buckets = Array.from(now.buckets, (count, bucket) => count - then.buckets[bucket]!);
      // Trailing empty buckets say nothing: a published summary stays a few numbers long.
      while (buckets.length > 0 && buckets[buckets.length - 1] === 0) buckets.pop();
      return { plugin, seconds, calls: now.calls - then.calls, errors: now.errors - then.errors, buckets };
    });
  }
}

/** One plugin's activity over a window, as an instance keeps it and publishes it to the others in cluster mode. */
export interface PluginWindowTotals {
  plugin: string;
  /** the span the figures cover */
  seconds: number;
  calls: number;
  errors: number;
  /** call durations per bucket of `DURATION_BUCKETS_SECONDS` (not cumulative), trailing empty buckets left out */
  buckets: number[];
}

export function ratesOf({ plugin, seconds, calls, errors, buckets }: PluginWindowTotals): PluginRates {
  const p95 = bucketQuantile(buckets, 0.95);
  return {
    plugin,
    callsPerSecond: seconds > 0 ? calls / seconds : 0,
    calls,
    errors,
    errorRate: calls === 0 ? 0 : errors / calls,
    ...(p95 === undefined ? {} : { p95Seconds: p95 }),
  };
}

function totalsOf(metrics: PluginMetrics): Map<string, PluginTotals> {
  const totals = new Map<string, PluginTotals>();
  for (const meter of metrics.plugins()) {
    const sum: PluginTotals = { calls: 0, errors: 0, buckets: new Float64Array(DURATION_BUCKETS_SECONDS.length + 1) };
    for (const method of meter.methods.values()) {
      for (const slot of method.callers.values()) {
        sum.calls += slot.ok + slot.error;
        sum.errors += slot.error;
      }
      for (let bucket = 0; bucket < sum.buckets.length; bucket++) sum.buckets[bucket]! += method.durations.counts[bucket]!;
    }
    totals.set(meter.plugin, sum);
  }
  return totals;
}
