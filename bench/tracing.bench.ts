import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Expose, InjectPluginContext, Plugin, PluginModule, type PluginContext } from '../lib/index.js';
import { comparePair, formatNumber, median, ratioFigure, type Figure, type PairOptions } from './harness.js';

/**
 * What traces cost a call (SPEC §18): with the OpenTelemetry SDK, every span sampled and a
 * no-op exporter, against the API alone (no SDK registered), on a method doing 50 µs of work
 * and on a trivial one; and the API without an SDK against no API at all (fresh processes,
 * `@opentelemetry/api` hidden from the resolver in one of them).
 */

const WORK_CALLS: PairOptions = { loops: 200, samples: 41, warmupSamples: 10 };
const TRIVIAL_CALLS: PairOptions = { loops: 20_000, samples: 41, warmupSamples: 10 };
const WORK_NS = 50_000;
const PROBE_PROCESSES = 5;

@Injectable()
class Worker {
  @Expose()
  work(): number {
    const until = process.hrtime.bigint() + BigInt(WORK_NS);
    let spins = 0;
    while (process.hrtime.bigint() < until) spins++;
    return spins;
  }

  @Expose()
  add(a: number, b: number): number {
    return a + b;
  }
}

@Plugin({ name: 'traced-worker', version: '1.0.0', providers: [Worker] })
class WorkerPlugin {}

@Plugin({ name: 'traced-caller', version: '1.0.0', dependencies: ['traced-worker'] })
class CallerPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Module({ imports: [PluginModule.forRoot({ plugins: [WorkerPlugin, CallerPlugin] })] })
class TracingBenchModule {}

const noopExporter: SpanExporter = {
  export: (_spans, resultCallback) => resultCallback({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => undefined,
};
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(noopExporter)] });
const contextManager = new AsyncLocalStorageContextManager();

/** The SDK on (100 % sampling is its default) or off (the API's no-op tracer). */
function useSdk(on: boolean): void {
  trace.disable();
  context.disable();
  if (!on) return;
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager.enable());
}

export async function runTracingBench(): Promise<Figure[]> {
  const app = await NestFactory.createApplicationContext(TracingBenchModule, { logger: false });
  await app.init();
  const { ctx } = app.get(CallerPlugin);
  const loop = (sdk: boolean, method: 'work' | 'add') => (loops: number) => {
    useSdk(sdk);
    let total = 0;
    for (let i = 0; i < loops; i++) total += ctx.call('traced-worker', method, i, 1) as number;
    return total;
  };
  const work = comparePair(loop(false, 'work'), loop(true, 'work'), WORK_CALLS);
  const trivial = comparePair(loop(false, 'add'), loop(true, 'add'), TRIVIAL_CALLS);
  useSdk(false);
  await app.close();
  const withApi = probe(false);
  const withoutApi = probe(true);
  return [
    ratioFigure('ctx.call of a 50 µs method, SDK with 100 % sampling and a no-op exporter vs the API alone', work.subject, work.baseline, 'ns/op', 1.5),
    ratioFigure('ctx.call of a trivial method, SDK with 100 % sampling and a no-op exporter vs the API alone', trivial.subject, trivial.baseline, 'ns/op'),
    {
      ...ratioFigure('ctx.call of a trivial method, @opentelemetry/api without an SDK vs not installed', withApi.value, withoutApi.value, 'ns/op'),
      detail: `${formatNumber(withApi.value)} ns/op vs ${formatNumber(withoutApi.value)} ns/op (medians of ${PROBE_PROCESSES} fresh processes each: ${withApi.range} vs ${withoutApi.range})`,
    },
  ];
}

const PROBE = fileURLToPath(new URL('./tracing-probe.js', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Makes `@opentelemetry/api` unresolvable, as in an application that does not install it. */
const HIDE_API = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent("export async function resolve(specifier, context, next) { if (specifier === '@opentelemetry/api') throw Object.assign(new Error('hidden'), { code: 'ERR_MODULE_NOT_FOUND' }); return next(specifier, context); }"));`,
)}`;

function probe(hideApi: boolean): { value: number; range: string } {
  const runs = Array.from({ length: PROBE_PROCESSES }, () => {
    const output = execFileSync(process.execPath, [...(hideApi ? ['--import', HIDE_API] : []), PROBE, '--probe'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
    return (JSON.parse(output) as { ns: number }).ns;
  });
  return { value: median(runs), range: `${formatNumber(Math.min(...runs))}–${formatNumber(Math.max(...runs))}` };
}
