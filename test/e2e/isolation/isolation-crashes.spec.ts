import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { compiledFixture, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

/** `@Plugin({ resourceLimits: { callTimeoutMs } })` of the fragile fixture. */
const CALL_TIMEOUT_MS = 600;

const FAULTS = {
  thread: ['throw', 'exit', 'loop', 'heap', 'rejection'],
  process: ['throw', 'exit', 'loop', 'heap', 'rejection', 'abort'],
} as const;

/**
 * SPEC §13: a guest that dies or hangs never takes the host down. While an inline plugin serves
 * a steady stream of calls, each fault is injected into the isolated one: its calls in flight
 * reject with PluginCrashedError in time, it restarts, and the crash-loop breaker trips on the
 * crash after `restart.maxRestarts` (3).
 */
describe.each(['thread', 'process'] as const)('crashes of a plugin in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: INestApplicationContext;
  const pluginErrors: unknown[] = [];

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    const { PeerPlugin } = await import(compiledFixture('peer/peer.plugin.js'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({ plugins: [PeerPlugin], pluginsDir: compiledFixture('fragile'), isolation: { 'iso-fragile': mode } }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    app.get(EventEmitter2).on('plugin:error', (event: unknown) => pluginErrors.push(event));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const registry = () => app.get(lib.PluginRegistry) as any;
  /** How health sees the isolated plugin: DEGRADED while it restarts. */
  const serviceState = () => app.get(lib.ServiceRegistry).listAllTenants().find((instance) => instance.pluginId === 'iso-fragile')?.state;

  /** Calls the inline plugin every 2 ms until stopped; resolves with how many calls failed of how many. */
  function steadyStream(): { stop: () => Promise<{ ok: number; failed: number }> } {
    let running = true;
    let ok = 0;
    let failed = 0;
    const loop = (async () => {
      while (running) {
        try {
          const { value } = await Promise.resolve(registry().call('iso-peer', 'double', 21));
          if (value === 42) ok++;
          else failed++;
        } catch {
          failed++;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return { ok, failed };
      },
    };
  }

  async function crashOnce(kind: string): Promise<void> {
    const startedAt = Date.now();
    const inFlight = registry().call('iso-fragile', 'slow', 60_000).catch((error: unknown) => ({ error, after: Date.now() - startedAt }));
    const trigger = registry().call('iso-fragile', 'fault', kind).catch(() => undefined);
    const outcome = await inFlight;
    await trigger;
    expect(outcome.error).toBeInstanceOf(lib.PluginCrashedError);
    expect(outcome.error).toMatchObject({ code: 'PLUGIN_CRASHED', message: expect.stringMatching(/^Plugin "iso-fragile" crashed: /) });
    expect(outcome.after).toBeLessThanOrEqual(CALL_TIMEOUT_MS + 50);
  }

  async function answersAgain(): Promise<void> {
    await waitUntil(async () => (await Promise.resolve().then(() => registry().call('iso-fragile', 'ping')).catch(() => undefined)) === 'pong', 'the restarted plugin', 20_000).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(registry().list().map((info: any) => [info.state, info.error?.message]))}`);
    });
  }

  it('contains every fault, restarts, and stays failed after the fourth crash in the window', async () => {
    const stream = steadyStream();
    const faults = FAULTS[mode];
    // Three faults per incarnation of the breaker: a reload between rounds starts a fresh window.
    for (let index = 0; index < faults.length; index++) {
      if (index > 0 && index % 3 === 0) {
        await app.get(lib.PluginManager).reload('iso-fragile');
      }
      await crashOnce(faults[index]);
      expect(serviceState()).toBe('DEGRADED');
      await answersAgain();
      expect(serviceState()).toBe('HEALTHY');
      expect(registry().isActive('iso-fragile')).toBe(true);
    }
    const manager = app.get(lib.PluginManager);
    await manager.reload('iso-fragile');
    for (let crash = 1; crash <= 3; crash++) {
      await crashOnce('exit');
      await answersAgain();
    }
    await crashOnce('exit');
    await waitUntil(() => registry().list().find((info: any) => info.name === 'iso-fragile')?.state === 'failed', 'the failed state');
    expect(() => registry().call('iso-fragile', 'ping')).toThrow(lib.PluginNotActiveError);
    expect(pluginErrors).toEqual([expect.objectContaining({ error: expect.any(lib.PluginCrashedError) })]);
    const { ok, failed } = await stream.stop();
    expect(failed).toBe(0);
    expect(ok).toBeGreaterThan(50);
  }, 110_000);
});
