import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  Expose,
  InjectPluginContext,
  MethodNotExposedError,
  Plugin,
  PluginHasDependentsError,
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginNotActiveError,
  PluginRegistry,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { PluginFiles } from './plugin-files.js';
import { stateSnapshot } from './state-snapshot.js';

const journal: string[] = [];
(globalThis as Record<string, unknown>).pluginJournal = journal;

@Plugin({ name: 'base', version: '1.4.0', providers: [{ provide: 'FORMATTER', useValue: { format: (n: number) => `${n} pts` } }], exports: ['FORMATTER'] })
class BasePlugin {
  @Expose()
  value(): number {
    return 40;
  }
}

@Injectable()
class Counter {
  count = 0;
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}

  @Expose()
  next(): number {
    return ++this.count + (this.ctx.call('base', 'value') as number);
  }
}

@Plugin({ name: 'counter', version: '1.0.0', dependencies: ['base'], providers: [Counter] })
class CounterPlugin {
  onPluginInit() {
    journal.push('init:counter');
  }
  onPluginDestroy() {
    journal.push('destroy:counter');
  }
}

describe('PluginManager', () => {
  let app: INestApplication;
  let manager: PluginManager;
  let registry: PluginRegistry;
  let files: PluginFiles;

  beforeEach(async () => {
    journal.length = 0;
    files = await PluginFiles.create();
    app = await bootApp([PluginModule.forRoot({ plugins: [BasePlugin], drainTimeoutMs: 200 })]);
    manager = app.get(PluginManager);
    registry = app.get(PluginRegistry);
  });
  afterEach(async () => {
    await app.close();
    await files.remove();
  });

  describe('load', () => {
    it('loads a plugin file with full DI, Nest hooks, context and exposed methods', async () => {
      const file = await files.write('scores', {
        dependencies: [{ name: 'base', version: '^1.0.0' }],
        preamble: `import { Inject } from '@nestjs/common';`,
        body: `constructor(formatter) { this.formatter = formatter; }
  onModuleInit() { globalThis.pluginJournal.push('nest-init:scores'); }
  onPluginInit(ctx) { this.ctx = ctx; globalThis.pluginJournal.push('init:scores'); }
  onModuleDestroy() { globalThis.pluginJournal.push('nest-destroy:scores'); }
  describe() { return this.formatter.format(this.ctx.call('base', 'value') + 2); }`,
        afterClass: `Inject('FORMATTER')(FilePlugin, undefined, 0);`,
      });
      const loaded = await manager.load(file);
      expect(loaded).toMatchObject({ name: 'scores', version: '1.0.0', state: 'active' });
      expect(registry.call('scores', 'describe')).toBe('42 pts');
      expect(journal).toEqual(['nest-init:scores', 'init:scores']);
      expect(registry.list().map(({ name }) => name)).toEqual(['base', 'scores']);
    });

    it('loads a class, injecting the context into its providers; a loaded class can be loaded again fresh', async () => {
      await manager.load(CounterPlugin);
      expect(registry.call('counter', 'next')).toBe(41);
      expect(registry.call('counter', 'next')).toBe(42);
      await manager.unload('counter');
      await manager.load(CounterPlugin);
      expect(registry.call('counter', 'next')).toBe(41); // new instances, not the old ones
      expect(journal).toEqual(['init:counter', 'destroy:counter', 'init:counter']);
    });

    it('loads a directory in dependency order, against what is already active', async () => {
      await files.write('a-reports', { dependencies: ['m-stats'], body: `onPluginInit() { globalThis.pluginJournal.push('init:a-reports'); }` });
      await files.write('m-stats', { dependencies: ['z-source', 'base'], body: `onPluginInit() { globalThis.pluginJournal.push('init:m-stats'); }` });
      await files.write('z-source', { body: `onPluginInit() { globalThis.pluginJournal.push('init:z-source'); }` });
      const loaded = await manager.loadFromDirectory(files.directory);
      expect(loaded.map(({ name }) => name)).toEqual(['z-source', 'm-stats', 'a-reports']);
      expect(journal).toEqual(['init:z-source', 'init:m-stats', 'init:a-reports']);
    });
  });

  describe('a failed load changes nothing', () => {
    const failures: Array<[string, (files: PluginFiles) => Promise<string>, string | RegExp]> = [
      ['a file that does not import', async (f) => f.writeRaw('broken.plugin.js', 'export default class {'), /import failed/],
      ['a file without a @Plugin default export', async (f) => f.writeRaw('plain.plugin.js', 'export default class Plain {}'), 'its default export is not a class decorated with @Plugin()'],
      [
        'a @Plugin class exported only by name',
        async (f) => f.writeRaw('named.plugin.js', `import { Plugin } from 'nestjs-plugins';\nexport class NamedPlugin {}\nPlugin({ name: 'named', version: '1.0.0' })(NamedPlugin);`),
        'its default export is not a class decorated with @Plugin() (it exports the plugin NamedPlugin by name: add `export default NamedPlugin;`)',
      ],
      ['invalid metadata', (f) => f.write('bad', { version: 'one' }), 'Invalid metadata for plugin "bad": version must be a valid semver (got "one")'],
      ['a name already registered', (f) => f.write('base'), 'Plugin "base" is registered twice'],
      ['a missing dependency', (f) => f.write('lonely', { dependencies: ['ghost'] }), 'Plugin "lonely" requires "ghost" (any version), which is not installed'],
      ['a version mismatch', (f) => f.write('picky', { dependencies: [{ name: 'base', version: '^2.0.0' }] }), 'Version mismatch: base@1.4.0 does not satisfy ^2.0.0 (required by picky)'],
      [
        'an onPluginInit that throws after adding a listener',
        (f) => f.write('flaky', { body: `onPluginInit(ctx) { ctx.eventBus.on('anything', () => {}); throw new Error('flaky start'); }` }),
        'Plugin "flaky" failed in onPluginInit: flaky start',
      ],
      [
        'a provider Nest cannot resolve',
        (f) => f.write('needy', { preamble: `import { Inject } from '@nestjs/common';`, afterClass: `Inject('NOWHERE')(FilePlugin, undefined, 0);` }),
        /NOWHERE/,
      ],
      ['a Nest onModuleInit that throws', (f) => f.write('grumpy', { body: `onModuleInit() { throw new Error('no init'); }` }), 'no init'],
    ];

    it.each(failures)('%s', async (_case, writeFile, message) => {
      const before = stateSnapshot(app);
      const file = await writeFile(files);
      const failure = manager.load(file);
      await expect(failure).rejects.toThrow(PluginLoadError);
      await expect(failure).rejects.toThrow(message);
      expect(stateSnapshot(app)).toEqual(before);
      // The host keeps working and the name is free again.
      expect(registry.call('base', 'value')).toBe(40);
    });

    it('reports plugin:error with the cause attached', async () => {
      const errors: Array<{ error: Error }> = [];
      app.get(EventEmitter2).on('plugin:error', (event: { error: Error }) => errors.push(event));
      const failure = await manager.load(await files.write('bad', { version: 'one' })).catch((error: unknown) => error);
      expect(errors.map(({ error }) => error)).toEqual([failure]);
      expect((failure as PluginLoadError).cause).toBeInstanceOf(Error);
    });
  });

  describe('unload', () => {
    it('refuses while active plugins require it, naming them, and cascades dependents first', async () => {
      await manager.load(CounterPlugin);
      await manager.load(await files.write('reports', { dependencies: ['counter', 'base'], body: `onPluginDestroy() { globalThis.pluginJournal.push('destroy:reports'); }` }));
      await manager.load(await files.write('optional-user', { dependencies: [{ name: 'base', optional: true }] }));

      const refusal = manager.unload('base');
      await expect(refusal).rejects.toThrow(PluginHasDependentsError);
      await expect(refusal).rejects.toThrow('Cannot unload "base": required by counter, reports');
      expect(registry.list().map(({ name, state }) => `${name}:${state}`)).toEqual(['base:active', 'counter:active', 'reports:active', 'optional-user:active']);

      await manager.unload('base', { cascade: true });
      expect(journal.filter((entry) => entry.startsWith('destroy:'))).toEqual(['destroy:reports', 'destroy:counter']);
      expect(registry.list().map(({ name }) => name)).toEqual(['optional-user']); // an optional dependent stays
    });

    it('removes the plugin, its Nest modules and its listeners; calls and old handles fail', async () => {
      const before = stateSnapshot(app);
      await manager.load(
        await files.write('noisy', { body: `onPluginInit(ctx) { ctx.eventBus.on('news:*', () => {}); } onModuleDestroy() { globalThis.pluginJournal.push('nest-destroy:noisy'); } ping() { return 'pong'; }` }),
      );
      const handle = registry.get('noisy');
      expect(handle.ping()).toBe('pong');
      await manager.unload('noisy');
      expect(stateSnapshot(app)).toEqual(before);
      expect(journal).toEqual(['nest-destroy:noisy']);
      expect(() => registry.call('noisy', 'ping')).toThrow(new PluginNotActiveError('noisy'));
      expect(() => handle.ping()).toThrow('Plugin "noisy" is not active');
      await expect(manager.unload('noisy')).rejects.toThrow('Plugin "noisy" is not active'); // double unload
    });

    it('drains: new calls fail at once, a call in flight finishes, then onPluginDestroy runs', async () => {
      await manager.load(
        await files.write('slow', {
          body: `async work(ms) { await new Promise((r) => setTimeout(r, ms)); globalThis.pluginJournal.push('work done'); return 'done'; }
  onPluginDestroy() { globalThis.pluginJournal.push('destroy:slow'); }`,
        }),
      );
      const inFlight = registry.call('slow', 'work', 80) as Promise<string>;
      const unloading = manager.unload('slow');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(() => registry.call('slow', 'work', 1)).toThrow('Plugin "slow" is not active');
      await expect(inFlight).resolves.toBe('done');
      await unloading;
      expect(journal).toEqual(['work done', 'destroy:slow']);
    });

    it('stops waiting for a call that never settles after drainTimeoutMs', async () => {
      await manager.load(await files.write('stuck', { body: `hang() { return new Promise(() => {}); } onPluginDestroy() { globalThis.pluginJournal.push('destroy:stuck'); }` }));
      void registry.call('stuck', 'hang');
      const started = Date.now();
      await manager.unload('stuck');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(journal).toEqual(['destroy:stuck']);
    });

    it('unloads a boot-time plugin, which can then be loaded again by class', async () => {
      await manager.unload('base');
      expect(registry.has('base')).toBe(false);
      await manager.load(BasePlugin);
      expect(registry.call('base', 'value')).toBe(40);
    });
  });

  describe('reload', () => {
    it('restarts the plugin with fresh instances and re-wires its dependents to the new one', async () => {
      await manager.load(await files.write('tally', { body: `add() { this.total = (this.total ?? 0) + 1; return this.total; }` }));
      await manager.load(
        await files.write('tally-user', {
          dependencies: ['tally'],
          body: `onPluginInit(ctx) { this.ctx = ctx; globalThis.pluginJournal.push('init:tally-user'); } bump() { return this.ctx.call('tally', 'add'); }`,
        }),
      );
      expect(registry.call('tally-user', 'bump')).toBe(1);
      expect(registry.call('tally-user', 'bump')).toBe(2);
      const reloaded = await manager.reload('tally');
      expect(reloaded).toMatchObject({ name: 'tally', state: 'active' });
      expect(registry.call('tally-user', 'bump')).toBe(1); // the dependent now talks to the new instance
      expect(journal).toEqual(['init:tally-user', 'init:tally-user']);
      expect(registry.list().map(({ name, state }) => `${name}:${state}`)).toEqual(['base:active', 'tally:active', 'tally-user:active']);
    });

    it('puts the old plugin back when the new one fails to start', async () => {
      let starts = 0;
      @Plugin({ name: 'fragile', version: '1.0.0' })
      class FragilePlugin {
        onPluginInit() {
          if (++starts === 2) throw new Error('second start fails');
        }
        @Expose()
        alive(): boolean {
          return true;
        }
      }
      await manager.load(FragilePlugin);
      await expect(manager.reload('fragile')).rejects.toThrow('Plugin "fragile" failed in onPluginInit: second start fails');
      expect(registry.call('fragile', 'alive')).toBe(true);
      expect(starts).toBe(3);
    });

    it('refuses an unknown plugin', async () => {
      await expect(manager.reload('ghost')).rejects.toThrow(new PluginNotActiveError('ghost'));
    });
  });

  it('keeps unknown methods of runtime plugins private', async () => {
    await manager.load(CounterPlugin);
    expect(() => registry.call('counter', 'onPluginInit')).toThrow(MethodNotExposedError);
  });
});
