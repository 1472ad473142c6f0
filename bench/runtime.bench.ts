import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Expose, InjectPluginContext, Plugin, PluginManager, PluginModule, type PluginContext } from '../lib/index.js';
import { comparePair, consume, formatNumber, median, ratioFigure, type Figure, type PairOptions } from './harness.js';

/** Runtime costs: a plugin's event bus against the raw emitter, and load/unload cycles. */

const EMIT: PairOptions = { loops: 20_000, samples: 101, warmupSamples: 30 };
const TIMED_CYCLES = 200;
const HEAP_CYCLES = 1_000;

@Plugin({ name: 'emitter', version: '1.0.0' })
class EmitterPlugin {
  ctx!: PluginContext;
  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }
}

/** A small but complete plugin: a provider with the context injected, an exposed method, a listener. */
@Injectable()
class Greeter {
  constructor(@InjectPluginContext() ctx: PluginContext) {
    ctx.eventBus.on('greeting:*', () => undefined);
  }
  @Expose()
  greet(name: string): string {
    return `hello ${name}`;
  }
}
@Plugin({ name: 'greeter', version: '1.0.0', providers: [Greeter] })
class GreeterPlugin {}

@Module({ imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), PluginModule.forRoot({ plugins: [EmitterPlugin] })] })
class RuntimeBenchModule {}

export async function runRuntimeBench(): Promise<Figure[]> {
  const app = await NestFactory.createApplicationContext(RuntimeBenchModule, { logger: false });
  await app.init();
  const emitter = app.get(EventEmitter2);
  const eventBus = app.get(EmitterPlugin).ctx.eventBus;
  let received = 0;
  emitter.on('score:changed', (n: number) => {
    received += n;
  });
  const rawLoop = (loops: number) => {
    for (let i = 0; i < loops; i++) emitter.emit('score:changed', 1);
    return received;
  };
  const busLoop = (loops: number) => {
    for (let i = 0; i < loops; i++) eventBus.emit('score:changed', 1);
    return received;
  };
  const emit = comparePair(rawLoop, busLoop, EMIT);

  const manager = app.get(PluginManager);
  const cycle = async () => {
    await manager.load(GreeterPlugin);
    await manager.unload('greeter');
  };
  for (let i = 0; i < 50; i++) await cycle();
  const cycleMs: number[] = [];
  for (let i = 0; i < TIMED_CYCLES; i++) {
    const start = process.hrtime.bigint();
    await cycle();
    cycleMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < HEAP_CYCLES; i++) await cycle();
  globalThis.gc?.();
  const heapGrowthKiB = (process.memoryUsage().heapUsed - heapBefore) / 1024;
  consume(received);
  await app.close();

  return [
    ratioFigure("ctx.eventBus.emit('score:changed', 1) to one listener vs raw EventEmitter2.emit", emit.subject, emit.baseline, 'ns/op', 1.2),
    {
      name: 'load + unload cycle of a small plugin (class, one provider, one listener)',
      detail: `median of ${TIMED_CYCLES} cycles`,
      value: median(cycleMs),
      unit: 'ms',
    },
    {
      name: `heap growth over ${HEAP_CYCLES.toLocaleString('en-US')} load/unload cycles, after GC`,
      detail: `${formatNumber(heapGrowthKiB)} KiB (V8 code for each fresh class, not plugin data: see the leak test)`,
      value: heapGrowthKiB,
      unit: 'KiB',
    },
  ];
}
