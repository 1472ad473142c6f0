import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { Expose, Plugin, PluginModule, PluginRegistry, type PluginContext } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';

/** A reader the test collects from on demand (the SDK's periodic reader does the same on a timer). */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

@Plugin({ name: 'scorer', version: '1.0.0' })
class ScorerPlugin {
  @Expose()
  add(n: number): number {
    return n + 1;
  }

  @Expose()
  async fail(): Promise<never> {
    throw Object.assign(new Error('nope'), { code: 'SCORER_FAILED' });
  }
}

@Plugin({ name: 'board', version: '1.0.0', dependencies: ['scorer'] })
class BoardPlugin {
  ctx!: PluginContext;
  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }
}

function pointsOf(collected: ResourceMetrics, name: string): DataPoint<unknown>[] {
  const found = collected.scopeMetrics.filter((scope) => scope.scope.name === 'nestjs-plugins').flatMap((scope) => scope.metrics);
  return found.filter((metric) => metric.descriptor.name === name).flatMap((metric) => metric.dataPoints as DataPoint<unknown>[]);
}

describe('metrics through OpenTelemetry observable instruments', () => {
  const reader = new OnDemandReader();
  let app: INestApplication;

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    app = await bootApp([PluginModule.forRoot({ plugins: [ScorerPlugin, BoardPlugin] })]);
  });
  afterAll(async () => {
    await app.close();
    await reader.shutdown();
    metrics.disable();
  });

  it('reads the same counts as the Prometheus text, from the same slots, whenever the reader collects', async () => {
    const board = app.get(BoardPlugin).ctx;
    for (let i = 0; i < 9; i++) board.call('scorer', 'add', i);
    for (let i = 0; i < 2; i++) app.get(PluginRegistry).call('scorer', 'add', i);
    await Promise.all([1, 2, 3].map(() => expect(board.call('scorer', 'fail')).rejects.toThrow('nope')));

    const { resourceMetrics } = await reader.collect();
    const calls = pointsOf(resourceMetrics, 'plugin_calls');
    expect(calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attributes: { plugin: 'scorer', method: 'add', caller: 'board', outcome: 'ok' }, value: 9 }),
        expect.objectContaining({ attributes: { plugin: 'scorer', method: 'add', caller: '(host)', outcome: 'ok' }, value: 2 }),
        expect.objectContaining({ attributes: { plugin: 'scorer', method: 'fail', caller: 'board', outcome: 'error' }, value: 3 }),
      ]),
    );
    expect(pointsOf(resourceMetrics, 'plugin_call_errors')).toEqual([
      expect.objectContaining({ attributes: { plugin: 'scorer', method: 'fail', code: 'SCORER_FAILED' }, value: 3 }),
    ]);
    expect(pointsOf(resourceMetrics, 'plugin_call_duration_seconds_count')).toEqual(
      expect.arrayContaining([expect.objectContaining({ attributes: { plugin: 'scorer', method: 'fail' }, value: 3 })]),
    );

    board.call('scorer', 'add', 1);
    const again = await reader.collect();
    expect(pointsOf(again.resourceMetrics, 'plugin_calls')).toEqual(
      expect.arrayContaining([expect.objectContaining({ attributes: { plugin: 'scorer', method: 'add', caller: 'board', outcome: 'ok' }, value: 10 })]),
    );
  });
});
