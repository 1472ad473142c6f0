import 'reflect-metadata';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Expose, Plugin, PluginModule, PluginRegistry } from 'nestjs-plugins';
import { GreeterPlugin } from '../support/greeter.plugin.js';
import { bootApp, HookJournal } from './support/boot-app.js';

const JOURNAL = 'JOURNAL';

/**
 * A plugin whose module class and one provider record every Nest and plugin hook, so the
 * test can compare orders across the two lifecycles.
 */
function journaledPlugin(name: string, dependencies: string[] = []) {
  @Injectable()
  class Worker {
    constructor(@Inject(JOURNAL) private readonly journal: HookJournal) {}
    onModuleInit() {
      this.journal.record(`provider.onModuleInit:${name}`);
    }
  }

  class JournaledPlugin {
    constructor(@Inject(JOURNAL) private readonly journal: HookJournal) {}
    onModuleInit() {
      this.journal.record(`onModuleInit:${name}`);
    }
    onApplicationBootstrap() {
      this.journal.record(`onApplicationBootstrap:${name}`);
    }
    async onPluginInit() {
      await new Promise((resolve) => setTimeout(resolve, 2)); // each init is awaited before the next
      this.journal.record(`onPluginInit:${name}`);
    }
    async onPluginDestroy() {
      await new Promise((resolve) => setTimeout(resolve, 2));
      this.journal.record(`onPluginDestroy:${name}`);
    }
    onModuleDestroy() {
      this.journal.record(`onModuleDestroy:${name}`);
    }
  }
  Plugin({ name, version: '1.0.0', dependencies, providers: [Worker] })(JournaledPlugin);
  return JournaledPlugin;
}

describe('dependency-ordered lifecycle', () => {
  it('initializes in dependency order although registered in reverse, and destroys in exact reverse', async () => {
    const journal = new HookJournal();
    @Module({ providers: [{ provide: JOURNAL, useValue: journal }], exports: [JOURNAL] })
    class JournalModule {}
    const journalGlobal = { ...{ module: JournalModule }, global: true };

    // base <- middle <- top, plus side (no dependencies) registered between them
    const top = journaledPlugin('top', ['middle']);
    const side = journaledPlugin('side');
    const middle = journaledPlugin('middle', ['base']);
    const base = journaledPlugin('base');
    const app = await bootApp([journalGlobal, PluginModule.forRoot({ plugins: [top, side, middle, base] })]);

    const initOrder = journal.of('onPluginInit');
    expect(initOrder).toEqual(['base', 'middle', 'top', 'side']);
    for (const hook of ['onModuleInit', 'provider.onModuleInit', 'onApplicationBootstrap']) {
      const order = journal.of(hook);
      expect(order.indexOf('base')).toBeLessThan(order.indexOf('middle'));
      expect(order.indexOf('middle')).toBeLessThan(order.indexOf('top'));
    }
    // The plugin lifecycle sits between Nest's two init phases.
    const lastModuleInit = Math.max(...['base', 'middle', 'top', 'side'].map((n) => journal.entries.indexOf(`onModuleInit:${n}`)));
    const firstPluginInit = journal.entries.indexOf('onPluginInit:base');
    const firstBootstrap = journal.entries.findIndex((entry) => entry.startsWith('onApplicationBootstrap:'));
    expect(lastModuleInit).toBeLessThan(firstPluginInit);
    expect(journal.entries.indexOf('onPluginInit:side')).toBeLessThan(firstBootstrap);

    await app.close();
    expect(journal.of('onPluginDestroy')).toEqual([...initOrder].reverse());
    expect(journal.entries.indexOf('onPluginDestroy:base')).toBeLessThan(journal.entries.indexOf('onModuleDestroy:base'));
  });

  it('lets a dependent inject what its dependency exports, without importing it itself', async () => {
    @Injectable()
    class ScoreFormatter {
      format(score: number) {
        return `${score} points`;
      }
    }
    @Plugin({ name: 'formatting', version: '2.1.0', providers: [ScoreFormatter], exports: [ScoreFormatter] })
    class FormattingPlugin {}

    @Plugin({ name: 'scores', version: '1.0.0', dependencies: [{ name: 'formatting', version: '^2.0.0' }] })
    class ScoresPlugin {
      constructor(private readonly formatter: ScoreFormatter) {}
      @Expose()
      describe(score: number) {
        return this.formatter.format(score);
      }
    }

    const app = await bootApp([PluginModule.forRoot({ plugins: [ScoresPlugin, FormattingPlugin] })]);
    expect(app.get(PluginRegistry).call('scores', 'describe', 7)).toBe('7 points');
    await app.close();
  });

  it('discovers a @Plugin the application imports itself', async () => {
    @Plugin({ name: 'self-imported', version: '0.1.0' })
    class SelfImportedPlugin {
      started = false;
      onPluginInit() {
        this.started = true;
      }
      @Expose()
      isStarted() {
        return this.started;
      }
    }
    const app = await bootApp([PluginModule.forRoot({}), SelfImportedPlugin]);
    const registry = app.get(PluginRegistry);
    expect(registry.list().map(({ name, state }) => ({ name, state }))).toEqual([{ name: 'self-imported', state: 'active' }]);
    expect(registry.call('self-imported', 'isStarted')).toBe(true);
    await app.close();
  });

  it('mounts plugin controllers under /plugins/<name>/', async () => {
    const app: INestApplication = await bootApp([PluginModule.forRoot({ plugins: [GreeterPlugin] })]);
    await request(app.getHttpServer()).get('/plugins/greeter/greeting').expect(200, { hello: 'world' });
    await request(app.getHttpServer()).get('/greeting').expect(404);
    await app.close();
  });
});
