import type { BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { DURATION_BUCKETS_SECONDS } from './duration-histogram.js';
import type { MetricFamily } from './metric-families.js';

/** The meter's name in OpenTelemetry (its instrumentation scope). */
export const OPENTELEMETRY_METER_NAME = 'nestjs-plugins';

/**
 * Publishes the families `collect` returns (every family, always, in a fixed order) through observable instruments of `meter`: the SDK's reader reads the
 * same slots as the Prometheus text whenever it collects, so a call does no OpenTelemetry
 * work at all. Counters become observable counters named without `_total` (the SDK's
 * Prometheus exporter adds it back); the duration histogram, which OpenTelemetry cannot
 * observe, becomes `_bucket` (attribute `le`, cumulative), `_sum` and `_count` counters.
 * Returns what stops the publishing.
 */
export function publishThroughOpenTelemetry(collect: () => MetricFamily[], meter: Meter): () => void {
  const instruments = new Map<string, Observable>();
  const instrument = (name: string, description: string, kind: 'counter' | 'gauge', unit?: string): Observable => {
    const options = { description, ...(unit === undefined ? {} : { unit }) };
    const created = kind === 'gauge' ? meter.createObservableGauge(name, options) : meter.createObservableCounter(name, options);
    instruments.set(name, created);
    return created;
  };
  for (const family of collect()) {
    const name = family.name.replace(/_total$/, '');
    if (family.type !== 'histogram') instrument(name, family.help, family.type, unitOf(family));
    else for (const part of ['_bucket', '_sum', '_count']) instrument(`${name}${part}`, family.help, 'counter', part === '_sum' ? 's' : undefined);
  }
  const observe = (result: BatchObservableResult): void => {
    for (const family of collect()) observeFamily(result, instruments, family);
  };
  const observables = [...instruments.values()];
  meter.addBatchObservableCallback(observe, observables);
  return () => meter.removeBatchObservableCallback(observe, observables);
}

function observeFamily(result: BatchObservableResult, instruments: Map<string, Observable>, family: MetricFamily): void {
  const name = family.name.replace(/_total$/, '');
  if (family.type !== 'histogram') {
    const observable = instruments.get(name)!;
    for (const { labels, value } of family.samples) result.observe(observable, value, labels);
    return;
  }
  for (const { labels, counts, sum, count } of family.samples) {
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i]!;
      const le = i < DURATION_BUCKETS_SECONDS.length ? String(DURATION_BUCKETS_SECONDS[i]) : '+Inf';
      result.observe(instruments.get(`${name}_bucket`)!, cumulative, { ...labels, le });
    }
    result.observe(instruments.get(`${name}_sum`)!, sum, labels);
    result.observe(instruments.get(`${name}_count`)!, count, labels);
  }
}

function unitOf(family: MetricFamily): string | undefined {
  if (family.name.endsWith('_seconds_total')) return 's';
  if (family.name.includes('_bytes')) return 'By';
  return undefined;
}
