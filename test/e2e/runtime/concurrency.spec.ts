import 'reflect-metadata';
import { Expose, Plugin, PluginManager, PluginModule, PluginRegistry, type PluginInfo } from 'nestjs-plugins';
import { seededRandom } from '../../support/seeded-random.js';
import { bootApp } from '../support/boot-app.js';

function storePlugin(name: string) {
  @Plugin({ name, version: '1.0.0' })
  class StorePlugin {
    private readonly values = new Map<string, number>();
    async onPluginInit() {
      await new Promise((resolve) => setTimeout(resolve, 1)); // let operations overlap
    }
    @Expose()
    put(key: string, value: number) {
      this.values.set(key, value);
      return this.values.size;
    }
  }
  return StorePlugin;
}

type Operation = 'load' | 'unload' | 'reload';

describe('concurrent load / unload / reload', () => {
  it('200 mixed operations on 20 plugins end exactly as the same operations run one by one', async () => {
    const app = await bootApp([PluginModule.forRoot({})]);
    const manager = app.get(PluginManager);
    const registry = app.get(PluginRegistry);
    const plugins = Array.from({ length: 20 }, (_, i) => storePlugin(`store-${i}`));
    const random = seededRandom(7);
    const operations = Array.from({ length: 200 }, () => ({
      plugin: Math.floor(random() * plugins.length),
      kind: (['load', 'load', 'unload', 'reload'] as const)[Math.floor(random() * 4)] as Operation,
    }));

    const run = ({ plugin, kind }: { plugin: number; kind: Operation }): Promise<PluginInfo | PluginInfo[] | void> =>
      kind === 'load' ? manager.load(plugins[plugin]) : kind === 'unload' ? manager.unload(`store-${plugin}`) : manager.reload(`store-${plugin}`);
    const outcomes = await Promise.allSettled(operations.map(run));

    // The model: operations take effect one at a time, in the order they were asked for.
    const loaded = new Set<number>();
    const expected = operations.map(({ plugin, kind }) => {
      const isLoaded = loaded.has(plugin);
      if (kind === 'load' && !isLoaded) loaded.add(plugin);
      if (kind === 'unload' && isLoaded) loaded.delete(plugin);
      return (kind === 'load') !== isLoaded ? 'fulfilled' : 'rejected';
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(expected);
    expect(registry.list().map(({ name, state }) => `${name}:${state}`).sort()).toEqual(
      [...loaded].map((plugin) => `store-${plugin}:active`).sort(),
    );
    for (const plugin of loaded) expect(registry.call(`store-${plugin}`, 'put', 'k', 1)).toBe(1);
    await app.close();
  });

  it('never interleaves operations on one plugin', async () => {
    const steps: string[] = [];
    @Plugin({ name: 'slow-start', version: '1.0.0' })
    class SlowStartPlugin {
      async onPluginInit() {
        steps.push('init start');
        await new Promise((resolve) => setTimeout(resolve, 20));
        steps.push('init end');
      }
      async onPluginDestroy() {
        steps.push('destroy start');
        await new Promise((resolve) => setTimeout(resolve, 20));
        steps.push('destroy end');
      }
    }
    const app = await bootApp([PluginModule.forRoot({})]);
    const manager = app.get(PluginManager);
    await Promise.all([manager.load(SlowStartPlugin), manager.reload('slow-start'), manager.unload('slow-start')]);
    expect(steps).toEqual(['init start', 'init end', 'destroy start', 'destroy end', 'init start', 'init end', 'destroy start', 'destroy end']);
    await app.close();
  });
});
