import { bucketQuantile } from './duration-histogram.js';
import type { PluginRates, PluginWindowTotals } from './rate-window.js';

/**
 * The rates of several instances as one: calls/s, calls and errors add up; the error rate is
 * the summed errors over the summed calls; p95 comes from the instances' duration buckets
 * added together (the p95 of all their calls, like Prometheus' `histogram_quantile` over a sum),
 * not from their p95s.
 */
export function summedRates(instances: readonly (readonly PluginWindowTotals[])[]): PluginRates[] {
  const sums = new Map<string, { callsPerSecond: number; calls: number; errors: number; buckets: number[] }>();
  for (const totals of instances) {
    for (const { plugin, seconds, calls, errors, buckets } of totals) {
      let sum = sums.get(plugin);
      if (sum === undefined) sums.set(plugin, (sum = { callsPerSecond: 0, calls: 0, errors: 0, buckets: [] }));
      sum.callsPerSecond += seconds > 0 ? calls / seconds : 0;
      sum.calls += calls;
      sum.errors += errors;
      buckets.forEach((count, bucket) => (sum.buckets[bucket] = (sum.buckets[bucket] ?? 0) + count));
    }
  }
  return [...sums].map(([plugin, { callsPerSecond, calls, errors, buckets }]) => {
    const p95 = bucketQuantile(buckets, 0.95);
    return { plugin, callsPerSecond, calls, errors, errorRate: calls === 0 ? 0 : errors / calls, ...(p95 === undefined ? {} : { p95Seconds: p95 }) };
  });
}
