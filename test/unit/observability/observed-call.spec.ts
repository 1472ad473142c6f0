import { pluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import { observedCall } from '../../../lib/observability/metrics/observed-call.js';
import { PluginMetrics } from '../../../lib/observability/metrics/plugin-metrics.js';
import { parsePrometheusText, valueOf } from '../../e2e/observability/prometheus-samples.js';

const run = (_frame: unknown, method: { fn: () => unknown }) => method.fn();
const samplesOf = (metrics: PluginMetrics) => parsePrometheusText(metrics.prometheusText());

/** The call hook's common path: untimed, no SDK, the slot found by comparing the frame and method objects with the last call's. */
describe('observedCall', () => {
  it('counts untimed calls exactly: values, throws and rejections, with promises pending until they settle', async () => {
    const metrics = new PluginMetrics();
    const plugin = `worker-${process.hrtime.bigint()}`;
    let pendingNow = 0;
    const counted = { started: () => void pendingNow++, settled: () => void pendingNow-- };
    const frame = { callerPluginId: 'a' };
    const outcomes: (() => unknown)[] = [];
    const method = { name: 'work', fn: () => outcomes.shift()!() };
    const failure = Object.assign(new Error('x'), { code: 'WORKER_X' });
    const once = () => observedCall(metrics.plugin(plugin), counted, frame, method, [], run);
    // The same frame and method objects each time, as the registry and ctx.call pass them: the hook's common case.
    for (let i = 0; i < 300; i++) {
      outcomes.push(() => i);
      expect(once()).toBe(i);
    }
    outcomes.push(() => {
      throw failure;
    });
    expect(once).toThrow(failure);
    let reject!: (error: Error) => void;
    outcomes.push(() => new Promise((_resolve, rejectWith) => (reject = rejectWith)));
    const rejected = once() as Promise<unknown>;
    expect(pendingNow).toBe(1);
    expect(valueOf(samplesOf(metrics), 'plugin_calls_total', { plugin, method: 'work', caller: 'a', outcome: 'ok' })).toBe(300);
    reject(failure);
    await expect(rejected).rejects.toBe(failure);
    expect(pendingNow).toBe(0);
    const samples = samplesOf(metrics);
    expect(valueOf(samples, 'plugin_calls_total', { plugin, method: 'work', caller: 'a', outcome: 'ok' })).toBe(300);
    expect(valueOf(samples, 'plugin_calls_total', { plugin, method: 'work', caller: 'a', outcome: 'error' })).toBe(2);
    expect(valueOf(samples, 'plugin_call_errors_total', { plugin, method: 'work', code: 'WORKER_X' })).toBe(2);
    expect(pluginLogBook.of(plugin).errors).toHaveLength(2);
  });
});
