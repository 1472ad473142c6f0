import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Plugin, PluginModule } from '../lib/index.js';
import { formatNumber, median, ratioFigure, seededRandom, timeOnceMs, type Figure } from './harness.js';

/**
 * Boot cost of N plugins against N plain Nest modules wired into the same graph.
 * Every run builds fresh classes on both sides, so Nest's per-class caches help neither.
 * The app builders are exported for profiling a single side (`node --cpu-prof`).
 */

/** Plugin count -> timed runs per side (fewer for big N, to keep the whole bench short). */
const RUNS: ReadonlyArray<readonly [count: number, runs: number]> = [
  [10, 21],
  [100, 11],
  [1_000, 7],
  [2_000, 5],
];

/** dependencies[i] = indices of the earlier plugins that plugin i depends on. */
export function generateDependencyGraph(count: number, seed = 42): number[][] {
  const random = seededRandom(seed);
  const chainLength = Math.floor(count / 2);
  const dependencies: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0) dependencies.push([]);
    else if (i < chainLength) dependencies.push([i - 1]);
    else {
      const wanted = Math.min(i, 1 + Math.floor(random() * 3));
      const picked = new Set<number>();
      while (picked.size < wanted) picked.add(Math.floor(random() * i));
      dependencies.push([...picked]);
    }
  }
  return dependencies;
}

/** A fresh, empty class with a readable name (Nest puts class names in its messages). */
function namedClass(name: string): Type<unknown> {
  return { [name]: class {} }[name] as Type<unknown>;
}

export function pluginApp(graph: number[][]): Type<unknown> {
  const plugins = graph.map((dependencies, i) => {
    const pluginClass = namedClass(`P${i}Plugin`);
    Plugin({ name: `p${i}`, version: '1.0.0', dependencies: dependencies.map((j) => `p${j}`) })(pluginClass);
    return pluginClass;
  });
  const app = namedClass('PluginBootApp');
  Module({ imports: [EventEmitterModule.forRoot(), PluginModule.forRoot({ plugins })] })(app);
  return app;
}

/** The same graph as Nest imports; a dynamic host module imports them all, as PluginModule does. */
export function plainApp(graph: number[][]): Type<unknown> {
  const modules: Type<unknown>[] = [];
  graph.forEach((dependencies, i) => {
    const moduleClass = namedClass(`M${i}Module`);
    Module({ imports: dependencies.map((j) => modules[j]) })(moduleClass);
    modules.push(moduleClass);
  });
  const host: DynamicModule = { module: namedClass('PlainModulesHost'), imports: modules };
  const app = namedClass('PlainBootApp');
  Module({ imports: [EventEmitterModule.forRoot(), host] })(app);
  return app;
}

export async function boot(appModule: Type<unknown>): Promise<void> {
  const app = await NestFactory.createApplicationContext(appModule, { logger: false });
  await app.init();
  await app.close();
}

/** Median boot ms of plugins and plain modules; runs alternate sides and which goes first. */
async function measureBoot(count: number, runs: number): Promise<{ plugins: number; plain: number }> {
  const graph = generateDependencyGraph(count);
  const pluginTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const plugins = () => timeOnceMs(() => boot(pluginApp(graph))).then((ms) => pluginTimes.push(ms));
    const plain = () => timeOnceMs(() => boot(plainApp(graph))).then((ms) => plainTimes.push(ms));
    if (run % 2 === 0) {
      await plugins();
      await plain();
    } else {
      await plain();
      await plugins();
    }
  }
  return { plugins: median(pluginTimes), plain: median(plainTimes) };
}

export async function runBootBench(): Promise<Figure[]> {
  // Warm Nest's and the library's code paths up (at the size that matters) before anything is timed.
  await measureBoot(100, 2);
  await measureBoot(1_000, 2);

  const results = new Map<number, { plugins: number; plain: number }>();
  const figures: Figure[] = [];
  for (const [count, runs] of RUNS) {
    const result = await measureBoot(count, runs);
    results.set(count, result);
    const limit = count === 1_000 ? 1.5 : undefined;
    figures.push(ratioFigure(`boot ${count} plugins vs ${count} plain modules (median of ${runs})`, result.plugins, result.plain, 'ms', limit));
  }
  const [at1000, at2000] = [results.get(1_000)!, results.get(2_000)!];
  figures.push({
    name: 'plugin boot growth 1,000 → 2,000',
    detail: `${formatNumber(at1000.plugins)} → ${formatNumber(at2000.plugins)} ms (plain modules: ${formatNumber(at2000.plain / at1000.plain)}×)`,
    value: at2000.plugins / at1000.plugins,
    unit: '×',
    target: { comparison: '≤', limit: 2.2 },
  });
  return figures;
}
