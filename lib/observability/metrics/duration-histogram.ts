/** Upper bounds of the call-duration buckets, in seconds: 10 µs to 10 s, Prometheus' `le`. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** A fixed-bucket histogram: a few numbers, no allocation per observation. */
export class DurationHistogram {
  /** per bucket, not cumulative; the last slot is `+Inf` */
  readonly counts = new Float64Array(DURATION_BUCKETS_SECONDS.length + 1);
  count = 0;
  sumSeconds = 0;

  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < DURATION_BUCKETS_SECONDS.length && seconds > DURATION_BUCKETS_SECONDS[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.count++;
    this.sumSeconds += seconds;
  }
}

/**
 * The duration under which `quantile` of the observations fall, from bucket counts (not
 * cumulative) as `DurationHistogram` keeps them, interpolated inside the bucket like
 * Prometheus' `histogram_quantile`; undefined with no observation.
 */
export function bucketQuantile(counts: ArrayLike<number>, quantile: number): number | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return undefined;
  const rank = quantile * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i]!;
    if (seen + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : DURATION_BUCKETS_SECONDS[i - 1]!;
      // Past the last bound there is nothing to interpolate to: report the last bound.
      if (i === DURATION_BUCKETS_SECONDS.length) return lower;
      return lower + (DURATION_BUCKETS_SECONDS[i]! - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  return DURATION_BUCKETS_SECONDS[DURATION_BUCKETS_SECONDS.length - 1];
}
