import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { ContextInvalidatedError, Plugin, PluginManager, PluginModule, type OnPluginInit, type PluginContext } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every run of the tasks below, by application: [app, start, end]. */
const journal: { app: string; task: string; start: number; end: number }[] = [];
let appName = '';

function tickerPlugin(name: string, scope: 'global' | 'local', everyMs: number, runMs: number, leaseMs = 300) {
  @Plugin({ name, version: '1.0.0' })
  class TickerPlugin implements OnPluginInit {
    onPluginInit(ctx: PluginContext) {
      const app = appName;
      ctx.tasks.schedule('tick', { everyMs, scope, leaseMs }, async () => {
        const start = performance.now();
        await sleep(runMs);
        journal.push({ app, task: name, start, end: performance.now() });
      });
    }
  }
  return TickerPlugin;
}

function overlaps(runs: { start: number; end: number }[]): number {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  return sorted.filter((run, index) => index > 0 && run.start < sorted[index - 1]!.end).length;
}

async function boot(name: string, plugins: Function[], imports: unknown[] = []): Promise<INestApplication> {
  appName = name;
  return bootApp([...(imports as never[]), PluginModule.forRoot({ plugins: plugins as never })]);
}

describe('ctx.tasks in one process', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    journal.length = 0;
  });

  it('a local task runs every everyMs; unload cancels it: no run starts after unload returns', async () => {
    const app = await boot('one', [tickerPlugin('ticker', 'local', 10, 2)]);
    apps.push(app);
    await sleep(100);
    expect(journal.length).toBeGreaterThan(3);
    await app.get(PluginManager).unload('ticker');
    const atUnload = journal.length;
    await sleep(60);
    expect(journal.length).toBe(atUnload);
  });

  it('a global task without a database runs on the one instance, under a lease in memory', async () => {
    const app = await boot('one', [tickerPlugin('ticker', 'global', 10, 2)]);
    apps.push(app);
    await sleep(100);
    expect(journal.length).toBeGreaterThan(3);
    expect(overlaps(journal)).toBe(0);
  });

  it('after unload the old context refuses ctx.tasks', async () => {
    let saved: PluginContext | undefined;
    @Plugin({ name: 'keeper', version: '1.0.0' })
    class KeeperPlugin implements OnPluginInit {
      onPluginInit(ctx: PluginContext) {
        saved = ctx;
      }
    }
    const app = await boot('one', [KeeperPlugin]);
    apps.push(app);
    await app.get(PluginManager).unload('keeper');
    expect(() => saved!.tasks).toThrow(ContextInvalidatedError);
  });

  describe('two applications on one SQLite file', () => {
    let database: TestDatabase;
    beforeAll(async () => (database = await createTestDatabase('sqlite')));
    afterAll(() => database.drop());

    it('a global task runs in one of them at a time, and moves to the other when the first stops', async () => {
      const typeorm = () => TypeOrmModule.forRoot({ ...database.connection, synchronize: true });
      // A lease long enough that a renewal held up on a loaded machine does not let it lapse: a lapse hands it over, rightly.
      const first = await boot('first', [tickerPlugin('ticker', 'global', 20, 10, 1_500)], [typeorm()]);
      const second = await boot('second', [tickerPlugin('ticker', 'global', 20, 10, 1_500)], [typeorm()]);
      apps.push(second);
      await sleep(400);
      expect(overlaps(journal)).toBe(0);
      expect(new Set(journal.map((run) => run.app)).size).toBe(1);
      const holder = journal[0]!.app;
      // Closing releases the lease; the other takes over within a third of it (500 ms).
      await (holder === 'first' ? first : second).close();
      if (holder === 'second') apps.splice(apps.indexOf(second), 1, first);
      const closedAt = performance.now();
      await sleep(1_000);
      expect(journal.some((run) => run.app !== holder && run.start > closedAt)).toBe(true);
      expect(overlaps(journal)).toBe(0);
    });
  });
});
