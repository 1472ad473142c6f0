import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { compiledFixture, loadCompiledLibrary, type CompiledLibrary } from './support/isolation-harness.js';

/** Worker threads and child processes the host holds show up as active resources. */
const guestResources = () => process.getActiveResourcesInfo().filter((resource) => resource !== 'Timeout' && resource !== 'TTYWrap').length;

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * SPEC §13: unload terminates the guest and nothing of it remains. 100 load/unload cycles of a
 * thread-isolated plugin, as two hosts in this process doing 50 each at the same time: each
 * guest start costs about a second of CPU (Nest's own import), and the two cores work in parallel.
 */
describe('load/unload cycles of an isolated plugin', () => {
  let lib: CompiledLibrary;
  const hosts: INestApplicationContext[] = [];

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    for (let index = 0; index < 2; index++) {
      const moduleRef = await Test.createTestingModule({ imports: [lib.PluginModule.forRoot({ isolation: { 'iso-light': 'thread' } })] }).compile();
      moduleRef.useLogger(false);
      hosts.push(await moduleRef.init());
    }
  }, 60_000);

  afterAll(async () => {
    for (const host of hosts) await host.close();
  });

  async function cycle(host: INestApplicationContext, times: number): Promise<void> {
    const manager = host.get(lib.PluginManager);
    for (let index = 0; index < times; index++) {
      await manager.load(compiledFixture('light/light.plugin.js'));
      if (index % 10 === 0) await expect((host.get(lib.PluginRegistry) as any).call('iso-light', 'ping')).resolves.toBe('pong');
      await manager.unload('iso-light');
    }
  }

  it('returns memory and handles after 100 cycles in threads', async () => {
    await Promise.all(hosts.map((host) => cycle(host, 2)));
    await settle();
    const baseline = { rss: process.memoryUsage().rss, resources: guestResources() };
    await Promise.all(hosts.map((host) => cycle(host, 50)));
    await settle();
    expect(guestResources()).toBeLessThanOrEqual(baseline.resources);
    expect(process.memoryUsage().rss - baseline.rss).toBeLessThanOrEqual(20 * 1024 * 1024);
  }, 110_000);
});
