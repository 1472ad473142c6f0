import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { parsePrometheusText, valueOf } from '../observability/prometheus-samples.js';
import { compiledFixture, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

/** Metrics of an isolated plugin are counted on the host side: its calls like any plugin's, each restart after a crash, a process guest's memory. */
describe.each(['thread', 'process'] as const)('metrics of a plugin in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: INestApplicationContext;

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({ pluginsDir: compiledFixture('fragile'), isolation: { 'iso-fragile': mode } }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const registry = () => app.get(lib.PluginRegistry) as any;
  const samples = () => parsePrometheusText((app.get(lib.PluginMetrics) as { prometheusText(): string }).prometheusText());

  it('counts its calls, the calls a crash failed, and its restarts', async () => {
    for (let i = 0; i < 5; i++) expect(await registry().call('iso-fragile', 'ping')).toBe('pong');
    expect(valueOf(samples(), 'plugin_calls_total', { plugin: 'iso-fragile', method: 'ping', caller: '(host)', outcome: 'ok' })).toBe(5);
    expect(valueOf(samples(), 'plugin_restarts_total', { plugin: 'iso-fragile' })).toBeUndefined();

    // A call in flight when the guest exits fails with the crash; the restart that follows is counted.
    const inFlight = registry().call('iso-fragile', 'slow', 60_000).catch((error: unknown) => error);
    await registry().call('iso-fragile', 'fault', 'exit').catch(() => undefined);
    expect(await inFlight).toBeInstanceOf(lib.PluginCrashedError);
    await waitUntil(async () => (await Promise.resolve().then(() => registry().call('iso-fragile', 'ping')).catch(() => undefined)) === 'pong', 'the restarted plugin', 20_000);
    expect(valueOf(samples(), 'plugin_restarts_total', { plugin: 'iso-fragile' })).toBe(1);
    expect(valueOf(samples(), 'plugin_calls_total', { plugin: 'iso-fragile', method: 'slow', caller: '(host)', outcome: 'error' })).toBe(1);
    expect(valueOf(samples(), 'plugin_call_errors_total', { plugin: 'iso-fragile', method: 'slow', code: 'PLUGIN_CRASHED' })).toBe(1);
  }, 60_000);

  it("reports a process guest's resident memory, and none for a thread (it shares the host's)", () => {
    const bytes = valueOf(samples(), 'plugin_guest_memory_bytes', { plugin: 'iso-fragile' });
    if (mode === 'thread') expect(bytes).toBeUndefined();
    // A Node process with Nest and the plugin's module: tens of megabytes, well below the machine's memory.
    else expect(bytes).toBeGreaterThan(20 * 2 ** 20);
    if (mode === 'process') expect(bytes).toBeLessThan(2 * 2 ** 30);
  });
});
