import { jest } from '@jest/globals';
import { bucketQuantile, DURATION_BUCKETS_SECONDS } from '../../../lib/observability/metrics/duration-histogram.js';
import { MAX_LABEL_VALUES } from '../../../lib/observability/metrics/label-values.js';
import { observedCall } from '../../../lib/observability/metrics/observed-call.js';
import { PluginMetrics } from '../../../lib/observability/metrics/plugin-metrics.js';
import { RateWindow } from '../../../lib/observability/metrics/rate-window.js';
import { summedRates } from '../../../lib/observability/metrics/summed-rates.js';
import { parsePrometheusText, valueOf } from '../../e2e/observability/prometheus-samples.js';

const run = (_frame: unknown, method: { fn: () => unknown }) => method.fn();
const pending = { started: () => undefined, settled: () => undefined };
const call = (metrics: PluginMetrics, caller: string | undefined, fn: () => unknown, name = 'work') =>
  observedCall(metrics.plugin('worker'), pending, { callerPluginId: caller }, { name, fn }, [], run);
const samplesOf = (metrics: PluginMetrics) => parsePrometheusText(metrics.prometheusText());
// Each test's metrics are shut down after it, so that a test's fake timers drive a timing tick of its own.
const created: PluginMetrics[] = [];
const track = (metrics: PluginMetrics): PluginMetrics => (created.push(metrics), metrics);
afterEach(() => {
  for (const metrics of created.splice(0)) metrics.onApplicationShutdown();
});

describe('PluginMetrics', () => {
  it('returns what the call returns and rethrows what it throws, counting each under its caller', () => {
    const metrics = track(new PluginMetrics());
    expect(call(metrics, 'a', () => 7)).toBe(7);
    const failure = Object.assign(new Error('x'), { code: 'WORKER_X' });
    expect(() => call(metrics, undefined, () => {
      throw failure;
    })).toThrow(failure);
    const samples = samplesOf(metrics);
    expect(valueOf(samples, 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: '(host)', outcome: 'error' })).toBe(1);
    expect(valueOf(samples, 'plugin_call_errors_total', { plugin: 'worker', method: 'work', code: 'WORKER_X' })).toBe(1);
  });

  it('times one synchronous call of each caller in each 50 ms tick, the first included', () => {
    // The tick's timer is faked; the clock the durations are read from is not.
    jest.useFakeTimers({ doNotFake: ['performance'] });
    try {
      const metrics = track(new PluginMetrics());
      for (let i = 0; i < 500; i++) call(metrics, 'a', () => i);
      call(metrics, 'b', () => 0);
      jest.advanceTimersByTime(50);
      for (let i = 0; i < 500; i++) call(metrics, 'a', () => i);
      jest.advanceTimersByTime(100);
      call(metrics, 'a', () => 0);
      call(metrics, 'b', () => 0);
      expect(valueOf(samplesOf(metrics), 'plugin_call_duration_seconds_count', { plugin: 'worker', method: 'work' })).toBe(5);
      expect(valueOf(samplesOf(metrics), 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', outcome: 'ok' })).toBe(1001);
    } finally {
      jest.useRealTimers();
    }
  });

  it('times every call of a method once it returned a promise, from every caller', async () => {
    const metrics = track(new PluginMetrics());
    call(metrics, 'a', () => 0);
    call(metrics, 'b', () => 0);
    // untimed: the second call of 'a', before the method was seen returning a promise
    await call(metrics, 'a', () => Promise.resolve(1));
    for (let i = 0; i < 3; i++) call(metrics, 'a', () => i);
    for (let i = 0; i < 3; i++) await call(metrics, 'b', () => Promise.resolve(i));
    expect(valueOf(samplesOf(metrics), 'plugin_call_duration_seconds_count', { plugin: 'worker', method: 'work' })).toBe(2 + 3 + 3);
  });

  it('keeps 100 error codes per method, and counts later ones under other', () => {
    const metrics = track(new PluginMetrics());
    for (let i = 0; i < MAX_LABEL_VALUES + 5; i++) {
      expect(() => call(metrics, 'a', () => {
        throw Object.assign(new Error('x'), { code: `CODE_${i}` });
      })).toThrow();
    }
    const errors = samplesOf(metrics).filter((sample) => sample.name === 'plugin_call_errors_total');
    expect(errors).toHaveLength(MAX_LABEL_VALUES + 1);
    expect(valueOf(errors, 'plugin_call_errors_total', { plugin: 'worker', method: 'work', code: 'other' })).toBe(5);
  });

  it('labels tenants only when asked, bounded the same way', () => {
    let tenant: string | undefined = 't1';
    const plain = track(new PluginMetrics({}, () => tenant));
    call(plain, 'a', () => 1);
    expect(valueOf(samplesOf(plain), 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', outcome: 'ok' })).toBe(1);

    const labelled = track(new PluginMetrics({ tenantLabel: true }, () => tenant));
    call(labelled, 'a', () => 1);
    tenant = undefined;
    call(labelled, 'a', () => 1);
    for (let i = 0; i < MAX_LABEL_VALUES + 3; i++) {
      tenant = `tenant-${i}`;
      call(labelled, 'a', () => 1);
    }
    const samples = samplesOf(labelled);
    expect(valueOf(samples, 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', tenant: 't1', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', tenant: '', outcome: 'ok' })).toBe(1);
    const series = samples.filter((sample) => sample.name === 'plugin_calls_total' && sample.labels.outcome === 'ok');
    expect(series).toHaveLength(MAX_LABEL_VALUES + 1);
    expect(valueOf(samples, 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', tenant: 'other', outcome: 'ok' })).toBe(5);
  });

  it('escapes label values in the text format', () => {
    const metrics = track(new PluginMetrics({ tenantLabel: true }, () => 'a"b\\c\nd'));
    call(metrics, 'a', () => 1);
    const text = metrics.prometheusText();
    expect(text).toContain('tenant="a\\"b\\\\c\\nd"');
    expect(valueOf(parsePrometheusText(text), 'plugin_calls_total', { plugin: 'worker', method: 'work', caller: 'a', tenant: 'a"b\\c\nd', outcome: 'ok' })).toBe(1);
  });

  it('counts nothing when switched off', () => {
    const metrics = track(new PluginMetrics({}, undefined, false));
    expect(call(metrics, 'a', () => 3)).toBe(3);
    expect(samplesOf(metrics).filter((sample) => sample.name === 'plugin_calls_total')).toEqual([]);
  });
});

describe('bucketQuantile', () => {
  it('interpolates inside the bucket the rank falls in, like histogram_quantile', () => {
    const counts = new Array(DURATION_BUCKETS_SECONDS.length + 1).fill(0);
    counts[1] = 90; // (10 µs, 100 µs]
    counts[3] = 10; // (500 µs, 1 ms]
    expect(bucketQuantile(counts, 0.5)).toBeCloseTo(0.00001 + 0.00009 * (50 / 90));
    expect(bucketQuantile(counts, 0.95)).toBeCloseTo(0.0005 + 0.0005 * 0.5);
    expect(bucketQuantile(new Array(counts.length).fill(0), 0.95)).toBeUndefined();
  });
});

describe('RateWindow', () => {
  it('gives calls/s, error rate and p95 from the difference of the oldest and newest samples in the window', () => {
    const metrics = track(new PluginMetrics());
    const window = new RateWindow(metrics, 60_000);
    call(metrics, 'a', () => 1);
    window.sample(1_000);
    expect(window.rates()).toEqual([]);
    for (let i = 0; i < 30; i++) call(metrics, 'a', () => 1);
    for (let i = 0; i < 10; i++) expect(() => call(metrics, 'a', () => {
      throw new Error('x');
    })).toThrow();
    window.sample(11_000);
    const [rates] = window.rates();
    expect(rates).toMatchObject({ plugin: 'worker', callsPerSecond: 4, errorRate: 0.25 });
    // Samples older than the window fall out: only the last two are compared.
    window.sample(71_000);
    window.sample(81_000);
    expect(window.rates()[0]).toMatchObject({ callsPerSecond: 0, errorRate: 0 });
  });
});

describe('summedRates', () => {
  it("adds calls, errors and calls/s, and takes p95 from the instances' buckets added together", () => {
    // A: 90 fast calls (≤ 10 µs); B: 10 slow ones (0.5–1 s). Their own p95s are 10 µs and 1 s.
    const fast = { plugin: 'p', seconds: 60, calls: 90, errors: 0, buckets: [90] };
    const slow = { plugin: 'p', seconds: 30, calls: 10, errors: 5, buckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 10] };
    const [sum] = summedRates([[fast], [slow, { plugin: 'q', seconds: 30, calls: 3, errors: 0, buckets: [3] }]]);
    expect(sum).toMatchObject({ plugin: 'p', calls: 100, errors: 5, errorRate: 0.05, callsPerSecond: 90 / 60 + 10 / 30 });
    // The 95th of 100 calls is the 5th of the 10 slow ones: halfway through the 0.5–1 s bucket.
    expect(sum!.p95Seconds).toBeCloseTo(0.75);
  });
});
