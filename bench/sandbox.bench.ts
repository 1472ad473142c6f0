import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
import { Expose } from '../lib/decorators/expose.decorator.js';
import { Plugin } from '../lib/decorators/plugin.decorator.js';
import { sandboxAvailability } from '../lib/isolation/sandbox/sandbox-availability.js';
import type { SandboxMode } from '../lib/interfaces/isolation-options.interface.js';
import { PluginModule } from '../lib/module/plugin.module.js';
import { PluginRegistry } from '../lib/registry/plugin.registry.js';
import { PluginManager } from '../lib/runtime/plugin.manager.js';
import type { Figure } from './harness.js';

// Imported when the bench runs: the guest imports this file for its plugin and reads nothing outside bench/.
const harness = () => import('./harness.js');

/**
 * What the OS sandbox costs a `'process'` plugin: the same guest, in bubblewrap
 * (`sandbox: 'required'`) and without it (`sandbox: 'off'`), loaded in two hosts of this
 * process at once and measured in alternating batches, so drift lands on both sides.
 */

@Plugin({ name: 'bench-sandboxed', version: '1.0.0' })
export class BenchSandboxedPlugin {
  @Expose()
  echo(value: unknown): unknown {
    return value;
  }
}
export default BenchSandboxedPlugin;

const THIS_FILE = fileURLToPath(import.meta.url);
const PAYLOAD = { id: 'u-1234', items: [1, 2, 3, 4, 5], label: 'a payload of roughly one hundred bytes', ok: true };
const BATCHES = 10;
const CALLS_PER_BATCH = 400;
const WARM_UP_CALLS = 500;
const START_SAMPLES = 9;

type Caller = () => Promise<unknown>;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function hostWith(sandbox: SandboxMode): Promise<INestApplicationContext> {
  @Module({ imports: [PluginModule.forRoot({ isolation: { 'bench-sandboxed': 'process' }, sandbox })] })
  class BenchSandboxHostModule {}
  const app = await NestFactory.createApplicationContext(BenchSandboxHostModule, { logger: false });
  await app.init();
  return app;
}

const callerOf = (app: INestApplicationContext): Caller => {
  const registry = app.get(PluginRegistry) as unknown as { call(name: string, method: string, ...args: unknown[]): Promise<unknown> };
  return () => registry.call('bench-sandboxed', 'echo', PAYLOAD);
};

/** Microseconds per sequential round trip, `count` of them. */
async function timeCalls(call: Caller, count: number, into: number[]): Promise<void> {
  for (let index = 0; index < count; index++) {
    const start = process.hrtime.bigint();
    await call();
    into.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
}

async function loadMs(app: INestApplicationContext): Promise<number> {
  const start = performance.now();
  await app.get(PluginManager).load(THIS_FILE);
  return performance.now() - start;
}

export async function runSandboxBench(): Promise<Figure[]> {
  const { median, ratioFigure } = await harness();
  const availability = sandboxAvailability();
  if (!availability.available) throw new Error(`the OS cannot sandbox here: ${availability.reason}`);
  const sandboxed = await hostWith('required');
  const plain = await hostWith('off');

  const starts = { sandboxed: [] as number[], plain: [] as number[] };
  for (let sample = 0; sample < START_SAMPLES; sample++) {
    // Which side starts first alternates too.
    const order = sample % 2 === 0 ? (['sandboxed', 'plain'] as const) : (['plain', 'sandboxed'] as const);
    for (const side of order) {
      const app = side === 'sandboxed' ? sandboxed : plain;
      starts[side].push(await loadMs(app));
      await app.get(PluginManager).unload('bench-sandboxed');
    }
  }

  await loadMs(sandboxed);
  await loadMs(plain);
  const calls = { sandboxed: callerOf(sandboxed), plain: callerOf(plain) };
  await timeCalls(calls.sandboxed, WARM_UP_CALLS, []);
  await timeCalls(calls.plain, WARM_UP_CALLS, []);
  const times = { sandboxed: [] as number[], plain: [] as number[] };
  for (let batch = 0; batch < BATCHES; batch++) {
    const order = batch % 2 === 0 ? (['sandboxed', 'plain'] as const) : (['plain', 'sandboxed'] as const);
    for (const side of order) await timeCalls(calls[side], CALLS_PER_BATCH, times[side]);
  }
  await sandboxed.close();
  await plain.close();

  return [
    ratioFigure('sandbox: process call round trip p50, bubblewrap vs sandbox off', median(times.sandboxed), median(times.plain), 'µs', 1.3),
    ratioFigure('sandbox: process start p95, bubblewrap vs sandbox off', percentile(starts.sandboxed, 0.95), percentile(starts.plain, 0.95), 'ms', 1.3),
  ];
}
