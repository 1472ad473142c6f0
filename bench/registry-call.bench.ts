import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ServiceBroker } from 'moleculer';
import { Expose, Plugin, PluginModule, PluginRegistry, type PluginContext } from '../lib/index.js';
import { comparePair, comparePairAsync, formatNumber, ratioFigure, type Figure, type PairOptions, type PairResult } from './harness.js';

/** Call overhead: the registry, handles and contexts against what a user would write by hand. */

const SYNC: PairOptions = { loops: 20_000, samples: 101, warmupSamples: 30 };
// Awaited calls cost microseconds (Moleculer), so fewer loops keep the run short.
const ASYNC: PairOptions = { loops: 2_000, samples: 31, warmupSamples: 5 };

@Plugin({ name: 'p', version: '1.0.0' })
class CounterPlugin {
  total = 0;

  // Does real work, so neither side can be folded away.
  @Expose()
  inc(n: number): number {
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
class CallBenchModule {}

export async function runRegistryCallBench(): Promise<Figure[]> {
  const app = await NestFactory.createApplicationContext(CallBenchModule, { logger: false });
  await app.init();
  const registry = app.get(PluginRegistry);
  const instance = app.get(CounterPlugin);
  const ctx = app.get(CallerPlugin).ctx;
  const handle = registry.get('p') as unknown as { inc(n: number): number };

  // The hand-written baseline: a table of tables, args gathered by a rest parameter as in `call`.
  const table = new Map([['p', new Map<string, (...args: any[]) => unknown>([['inc', instance.inc]])]]);
  function dispatch(id: string, m: string, ...args: unknown[]): unknown {
    return table.get(id)!.get(m)!.apply(instance, args);
  }

  // ctx.call's floor: the same dispatch with the caller carried in an AsyncLocalStorage, as any
  // call context that survives `await` must be on Node 20.
  const callerStorage = new AsyncLocalStorage<{ callerPluginId: string }>();
  const caller = { callerPluginId: 'caller' };
  const dispatchAsCallerLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += callerStorage.run(caller, dispatch, 'p', 'inc', 1) as number;
    return acc;
  };
  const dispatchLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += dispatch('p', 'inc', 1) as number;
    return acc;
  };
  const registryCallLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += registry.call('p', 'inc', 1) as number;
    return acc;
  };
  const directLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += instance.inc(1);
    return acc;
  };
  // A handle's floor: the method called inside AsyncLocalStorage.run, as the callee must act as itself.
  const incAsCaller = () => instance.inc(1);
  const directAsCallerLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += callerStorage.run(caller, incAsCaller);
    return acc;
  };
  const handleLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += handle.inc(1);
    return acc;
  };
  const contextCallLoop = (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += ctx.call('p', 'inc', 1) as number;
    return acc;
  };

  const figures: Figure[] = [];
  // The registry and handles run the callee as itself (docs/security.md), so their floor is
  // ctx.call's: the dispatch inside AsyncLocalStorage.run. The plain comparisons follow as information.
  const viaRegistry = comparePair(dispatchAsCallerLoop, registryCallLoop, SYNC);
  figures.push(
    ratioFigure("registry.call('p','inc',1) vs Map dispatch inside AsyncLocalStorage.run (carrying the acting plugin)", viaRegistry.subject, viaRegistry.baseline, 'ns/op', 1.5),
  );
  const viaRegistryPlain = comparePair(dispatchLoop, registryCallLoop, SYNC);
  figures.push(ratioFigure("registry.call('p','inc',1) vs plain Map dispatch", viaRegistryPlain.subject, viaRegistryPlain.baseline, 'ns/op'));
  const viaHandle = comparePair(directAsCallerLoop, handleLoop, SYNC);
  figures.push(ratioFigure('handle.inc(1) vs instance.inc(1) inside AsyncLocalStorage.run', viaHandle.subject, viaHandle.baseline, 'ns/op', 1.5));
  const viaHandlePlain = comparePair(directLoop, handleLoop, SYNC);
  figures.push(ratioFigure('handle.inc(1) vs plain instance.inc(1)', viaHandlePlain.subject, viaHandlePlain.baseline, 'ns/op'));
  const viaContext = comparePair(dispatchAsCallerLoop, contextCallLoop, SYNC);
  figures.push(
    ratioFigure("ctx.call('p','inc',1) vs Map dispatch inside AsyncLocalStorage.run (carrying the caller)", viaContext.subject, viaContext.baseline, 'ns/op', 1.5),
  );
  const viaContextPlain = comparePair(dispatchLoop, contextCallLoop, SYNC);
  figures.push(ratioFigure("ctx.call('p','inc',1) vs plain Map dispatch (AsyncLocalStorage.run alone is most of the gap on Node 20)", viaContextPlain.subject, viaContextPlain.baseline, 'ns/op'));
  figures.push(...(await compareWithMoleculer(ctx, instance)));

  await app.close();
  return figures;
}

/**
 * Each side called the way its API is used: ctx.call of a synchronous method returns the value,
 * Moleculer's broker.call always returns a promise that must be awaited. Two information rows
 * follow: both sides awaited, and the bare method awaited (no library at all) — the most any
 * awaited call can gain over Moleculer, since one `await` costs about as much as the rest.
 */
async function compareWithMoleculer(ctx: PluginContext, instance: CounterPlugin): Promise<Figure[]> {
  const broker = new ServiceBroker({ logger: false, transporter: null });
  broker.createService({
    name: 'p',
    actions: {
      inc(context: { params: { n: number } }) {
        return instance.inc(context.params.n);
      },
    },
  });
  await broker.start();
  const brokerLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += (await broker.call('p.inc', { n: 1 })) as number;
    return acc;
  };
  const contextAsUsedLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += ctx.call('p', 'inc', 1) as number;
    return acc;
  };
  const contextLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += (await ctx.call('p', 'inc', 1)) as number;
    return acc;
  };
  const directLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += await instance.inc(1);
    return acc;
  };
  const asUsed = await comparePairAsync(brokerLoop, contextAsUsedLoop, ASYNC);
  const bothAwaited = await comparePairAsync(brokerLoop, contextLoop, ASYNC);
  const ceiling = await comparePairAsync(brokerLoop, directLoop, ASYNC);
  await broker.stop();
  return [
    speedUp("speed-up of ctx.call('p','inc',1) over await broker.call('p.inc') (Moleculer), each as its API is used", asUsed, 10),
    speedUp('speed-up of await ctx.call over await broker.call, both awaited', bothAwaited),
    speedUp('ceiling: speed-up of await instance.inc(1) (no library) over await broker.call', ceiling),
  ];
}

/** baseline / subject: how many times faster the subject is; no limit: information only. */
function speedUp(name: string, result: PairResult, limit?: number): Figure {
  return {
    name,
    detail: `${formatNumber(result.subject)} ns/op vs ${formatNumber(result.baseline)} ns/op`,
    value: result.baseline / result.subject,
    unit: '×',
    ...(limit === undefined ? {} : { target: { comparison: '≥' as const, limit } }),
  };
}
