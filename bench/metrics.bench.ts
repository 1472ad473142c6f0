import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Expose, Plugin, PluginModule, PluginRegistry, type PluginContext } from '../lib/index.js';
import { PluginMetrics } from '../lib/observability/metrics/plugin-metrics.js';
import { PluginMeter } from '../lib/observability/metrics/plugin-meter.js';
import { PluginRecordStore } from '../lib/registry/plugin-record.store.js';
import { comparePair, comparePairAsync, formatNumber, ratioFigure, type Figure, type PairOptions } from './harness.js';

/** Metrics are always on: what they add to a call, against the same build with the callee's meter switched off. */

const SYNC: PairOptions = { loops: 20_000, samples: 101, warmupSamples: 30 };
const ASYNC: PairOptions = { loops: 2_000, samples: 31, warmupSamples: 5 };

@Plugin({ name: 'p', version: '1.0.0' })
class CounterPlugin {
  total = 0;

  @Expose()
  inc(n: number): number {
    this.total += n;
    return this.total;
  }

  @Expose()
  async incLater(n: number): Promise<number> {
    this.total += n;
    return this.total;
  }
}

@Plugin({ name: 'caller', version: '1.0.0', dependencies: ['p'] })
class CallerPlugin {
  ctx!: PluginContext;

  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }
}

@Module({ imports: [EventEmitterModule.forRoot(), PluginModule.forRoot({ plugins: [CounterPlugin, CallerPlugin] })] })
class MetricsBenchModule {}

export async function runMetricsBench(): Promise<Figure[]> {
  const app = await NestFactory.createApplicationContext(MetricsBenchModule, { logger: false });
  await app.init();
  const registry = app.get(PluginRegistry);
  const ctx = app.get(CallerPlugin).ctx;
  const record = app.get(PluginRecordStore).get('p')!;
  // The same code path either way: the hook reads the meter's flag and, off, calls straight through.
  const on = record.meter;
  const off = new PluginMeter('p', false, undefined);

  const syncLoop = (meter: PluginMeter, call: () => number) => (loops: number) => {
    record.meter = meter;
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += call();
    return acc;
  };
  const asyncLoop = (meter: PluginMeter) => async (loops: number) => {
    record.meter = meter;
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += (await ctx.call('p', 'incLater', 1)) as number;
    return acc;
  };
  const viaRegistry = () => registry.call('p', 'inc', 1) as number;
  const viaContext = () => ctx.call('p', 'inc', 1) as number;

  const figures: Figure[] = [];
  const registryCall = comparePair(syncLoop(off, viaRegistry), syncLoop(on, viaRegistry), SYNC);
  figures.push(ratioFigure("metrics: registry.call('p','inc',1) with metrics on vs off", registryCall.subject, registryCall.baseline, 'ns/op', 1.05));
  const contextCall = comparePair(syncLoop(off, viaContext), syncLoop(on, viaContext), SYNC);
  figures.push(ratioFigure("metrics: ctx.call('p','inc',1) with metrics on vs off", contextCall.subject, contextCall.baseline, 'ns/op', 1.05));
  const awaited = await comparePairAsync(asyncLoop(off), asyncLoop(on), ASYNC);
  figures.push(
    ratioFigure(
      "metrics: await ctx.call('p','incLater',1) (an async method, timed on every call) with metrics on vs off",
      awaited.subject,
      awaited.baseline,
      'ns/op',
    ),
  );
  record.meter = on;
  await app.close();
  figures.push(metricsMemory(1000, 20));
  return figures;
}

/** Heap held by the metrics of `plugins` × `methods`, each method called by two callers and timed. */
function metricsMemory(plugins: number, methods: number): Figure {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const metrics = new PluginMetrics();
  for (let p = 0; p < plugins; p++) {
    const meter = metrics.plugin(`plugin-${p}`);
    for (let m = 0; m < methods; m++) {
      const method = meter.method(`method${m}`);
      method.succeeded(method.slotFor('caller-a'), performance.now());
      method.failed(method.slotFor(undefined), Object.assign(new Error('x'), { code: 'SOME_CODE' }), performance.now());
    }
  }
  globalThis.gc?.();
  const bytes = process.memoryUsage().heapUsed - before;
  const kib = bytes / 1024;
  const perMethod = bytes / (plugins * methods);
  // Keeps the metrics reachable until measured.
  if (metrics.plugin('plugin-0').methods.size !== methods) throw new Error('metrics lost');
  return {
    name: `metrics: heap for ${plugins.toLocaleString('en')} plugins × ${methods} methods (2 callers, 1 error code, durations each)`,
    detail: `${formatNumber(perMethod)} bytes per method`,
    value: kib,
    unit: 'KiB',
  };
}
