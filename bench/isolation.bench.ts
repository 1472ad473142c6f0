import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Expose } from '../lib/decorators/expose.decorator.js';
import { Plugin } from '../lib/decorators/plugin.decorator.js';
import { PluginModule } from '../lib/module/plugin.module.js';
import { PluginRegistry } from '../lib/registry/plugin.registry.js';
import { PluginManager } from '../lib/runtime/plugin.manager.js';
import type { Figure } from './harness.js';

// The harness is imported when the bench runs: a contained guest imports this file for its plugin and may read nothing outside bench/.
const harness = () => import('./harness.js');

/**
 * The isolation figures, each against its raw counterpart measured in the same run: an exposed
 * method of a thread-isolated plugin against a bare MessagePort echo of the same payload, a
 * process-isolated one against bare IPC, and a guest's start against a bare worker or child
 * that imports @nestjs/core and builds an application context with the same plugin module.
 */

@Plugin({ name: 'bench-echo', version: '1.0.0' })
export class BenchEchoPlugin {
  @Expose()
  echo(value: unknown): unknown {
    return value;
  }
}
export default BenchEchoPlugin;

const THIS_FILE = fileURLToPath(import.meta.url);
/** About 100 bytes once cloned, as in the raw figures. */
const PAYLOAD = { id: 'u-1234', items: [1, 2, 3, 4, 5], label: 'a payload of roughly one hundred bytes', ok: true };
const ROUND_TRIPS = 4_000;
const PIPELINED_CALLS = 40_000;
const IN_FLIGHT = 500;
const START_SAMPLES = 7;

const ECHO_WORKER = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (message) => parentPort.postMessage(message));`;
const ECHO_CHILD = `process.on('message', (message) => process.send(message));`;
/** A bare guest: Nest's core and the plugin module in an application context, nothing of the library's guest. */
const resolvePackage = (name: string) => pathToFileURL(createRequire(import.meta.url).resolve(name)).href;
const bareGuest = (moduleUrl: string, report: string) => `
await import(${JSON.stringify(resolvePackage('reflect-metadata'))});
const { NestFactory } = await import(${JSON.stringify(resolvePackage('@nestjs/core'))});
const { BenchEchoPlugin } = await import(${JSON.stringify(moduleUrl)});
const app = await NestFactory.createApplicationContext(BenchEchoPlugin, { logger: false });
${report}
await app.close();
`;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Microseconds per sequential round trip. */
async function roundTrips(once: () => Promise<unknown>, count: number): Promise<number[]> {
  for (let warmUp = 0; warmUp < 500; warmUp++) await once();
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = process.hrtime.bigint();
    await once();
    times.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  return times;
}

function messagePortEcho(worker: Worker | ChildProcess): () => Promise<unknown> {
  let waiting: ((value: unknown) => void) | undefined;
  worker.on('message', (message: unknown) => waiting?.(message));
  const send = worker instanceof Worker ? (message: unknown) => worker.postMessage(message) : (message: unknown) => (worker as ChildProcess).send(message as never);
  return () =>
    new Promise((resolve) => {
      waiting = resolve;
      send(PAYLOAD);
    });
}

async function hostWith(mode: 'thread' | 'process'): Promise<INestApplicationContext> {
  @Module({ imports: [PluginModule.forRoot({ isolation: { 'bench-echo': mode } })] })
  class BenchHostModule {}
  const app = await NestFactory.createApplicationContext(BenchHostModule, { logger: false });
  await app.init();
  return app;
}

async function isolatedStartMs(mode: 'thread' | 'process'): Promise<number[]> {
  const app = await hostWith(mode);
  const manager = app.get(PluginManager);
  const times: number[] = [];
  for (let sample = 0; sample < START_SAMPLES; sample++) {
    const start = performance.now();
    await manager.load(THIS_FILE);
    times.push(performance.now() - start);
    await manager.unload('bench-echo');
  }
  await app.close();
  return times;
}

async function bareStartMs(mode: 'thread' | 'process'): Promise<number[]> {
  const moduleUrl = import.meta.url;
  const times: number[] = [];
  for (let sample = 0; sample < START_SAMPLES; sample++) {
    const start = performance.now();
    if (mode === 'thread') {
      const source = bareGuest(moduleUrl, `(await import('node:worker_threads')).parentPort.postMessage('ready');`);
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { execArgv: [] });
      await new Promise((resolve) => worker.once('message', resolve));
      times.push(performance.now() - start);
      await worker.terminate();
    } else {
      const child = fork('bare-guest', [], { execArgv: ['--input-type=module', '--eval', bareGuest(moduleUrl, `process.send('ready');`)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await new Promise((resolve) => child.once('message', resolve));
      times.push(performance.now() - start);
      child.kill('SIGKILL');
    }
  }
  return times;
}

async function callFigures(mode: 'thread' | 'process'): Promise<Figure[]> {
  const { formatNumber, median, ratioFigure } = await harness();
  const raw = mode === 'thread' ? new Worker(ECHO_WORKER, { eval: true }) : fork('ipc-echo', [], { execArgv: ['--eval', ECHO_CHILD], serialization: 'advanced' });
  const rawTimes = await roundTrips(messagePortEcho(raw), ROUND_TRIPS);
  if (raw instanceof Worker) await raw.terminate();
  else raw.kill('SIGKILL');

  const app = await hostWith(mode);
  await app.get(PluginManager).load(THIS_FILE);
  const registry = app.get(PluginRegistry) as unknown as { call(name: string, method: string, ...args: unknown[]): Promise<unknown> };
  const callTimes = await roundTrips(() => registry.call('bench-echo', 'echo', PAYLOAD), ROUND_TRIPS);
  const figures: Figure[] = [];
  const rawName = mode === 'thread' ? 'raw MessagePort' : 'raw IPC';
  figures.push(ratioFigure(`isolation: ${mode} call round trip p50 vs ${rawName}`, median(callTimes), median(rawTimes), 'µs', 2));
  if (mode === 'thread') {
    figures.push({
      name: 'isolation: thread call round trip p99',
      detail: `${formatNumber(percentile(callTimes, 0.99))} µs (raw p99 ${formatNumber(percentile(rawTimes, 0.99))} µs)`,
      value: percentile(callTimes, 0.99),
      unit: 'µs',
      target: { comparison: '≤', limit: 250 },
    });
    const start = performance.now();
    let sent = 0;
    const lane = async () => {
      while (sent < PIPELINED_CALLS) {
        sent++;
        await registry.call('bench-echo', 'echo', PAYLOAD);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const microsecondsPerCall = ((performance.now() - start) * 1_000) / PIPELINED_CALLS;
    // 20 µs per call is 50 000 calls/s.
    figures.push({
      name: 'isolation: thread calls pipelined, time per call',
      detail: `${formatNumber(1_000_000 / microsecondsPerCall)} calls/s with ${IN_FLIGHT} in flight`,
      value: microsecondsPerCall,
      unit: 'µs',
      target: { comparison: '≤', limit: 20 },
    });
  }
  await app.close();
  return figures;
}

async function startFigure(mode: 'thread' | 'process'): Promise<Figure> {
  const { ratioFigure } = await harness();
  const bare = await bareStartMs(mode);
  const isolated = await isolatedStartMs(mode);
  return ratioFigure(`isolation: ${mode} start p95 vs bare ${mode} with Nest and the module`, percentile(isolated, 0.95), percentile(bare, 0.95), 'ms', 1.5);
}

export async function runIsolationBench(): Promise<Figure[]> {
  return [...(await callFigures('thread')), ...(await callFigures('process')), await startFigure('thread'), await startFigure('process')];
}
