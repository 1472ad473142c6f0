import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Expose, InjectPluginContext, Plugin, PluginManager, PluginModule, PluginRegistry, type PluginContext } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';

const CYCLES = 1_000;
/**
 * After the first cycles (which grow V8's code and inline caches, not our data), what is
 * left on the heap must not grow with the number of cycles: 1,000 cycles each allocate a
 * Nest module, providers, a context, handles and listeners (tens of KB), so a leak of any
 * of them would show as megabytes; 2 MB leaves room for GC timing noise.
 */
const HEAP_GROWTH_LIMIT_BYTES = 2 * 1024 * 1024;

@Injectable()
class Chatter {
  constructor(@InjectPluginContext() ctx: PluginContext) {
    ctx.eventBus.on('chatter:*', () => undefined);
  }
  @Expose()
  hello(): string {
    return 'hi';
  }
}

@Plugin({ name: 'chatter', version: '1.0.0', providers: [Chatter] })
class ChatterPlugin {
  onPluginInit(ctx: PluginContext) {
    ctx.eventBus.on('news:*', () => undefined);
    ctx.eventBus.once('once:event', () => undefined);
  }
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('this test needs node --expose-gc (npm test passes it)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('1,000 load/unload cycles', () => {
  it('leave listener counts, modules and the heap where they started', async () => {
    const app = await bootApp([PluginModule.forRoot({})]);
    const manager = app.get(PluginManager);
    const registry = app.get(PluginRegistry);
    const emitter = app.get(EventEmitter2);
    const modules = app.get(ModulesContainer);
    const listeners = () => emitter.listenerCount('chatter:*') + emitter.listenerCount('news:*') + emitter.listenerCount('once:event');

    const cycle = async () => {
      await manager.load(ChatterPlugin);
      if (registry.call('chatter', 'hello') !== 'hi') throw new Error('plugin did not answer');
      if (listeners() !== 3) throw new Error(`expected 3 listeners while loaded, got ${listeners()}`);
      await manager.unload('chatter');
    };
    for (let i = 0; i < 50; i++) await cycle(); // warm-up
    const baseline = { listeners: listeners(), modules: modules.size, heap: heapAfterGc() };

    for (let i = 0; i < CYCLES; i++) await cycle();
    const growth = heapAfterGc() - baseline.heap;

    expect(listeners()).toBe(baseline.listeners);
    expect(listeners()).toBe(0);
    expect(modules.size).toBe(baseline.modules);
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
    process.stdout.write(`heap growth over ${CYCLES} load/unload cycles: ${(growth / 1024).toFixed(0)} KiB\n`);
    await app.close();
  }, 120_000);
});
