import 'reflect-metadata';
import { Injectable, Logger, Module, type INestApplication } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import {
  OnPluginEvent,
  Plugin,
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginRegistry,
  type PluginContext,
  type PluginErrorEvent,
} from 'nestjs-plugins';
import { PluginFiles } from './runtime/plugin-files.js';
import { bootApp } from './support/boot-app.js';

/** What plugin listeners heard, in order; plugin files write to it through `globalThis`. */
const heard: string[] = [];
(globalThis as Record<string, unknown>).eventsJournal = heard;

@Injectable()
class InventoryWatcher {
  private readonly name = 'watcher'; // read through `this`: the handler runs on the instance

  @OnPluginEvent('stock:*')
  onStock(item: string): void {
    heard.push(`${this.name} stock:* ${item}`);
  }

  @OnPluginEvent('audit:**')
  onAudit(entry: string): void {
    heard.push(`${this.name} audit:** ${entry}`);
  }

  @OnPluginEvent('order:placed')
  @OnPluginEvent('order:shipped')
  onOrder(id: string): void {
    heard.push(`${this.name} order ${id}`);
  }
}

@Plugin({ name: 'inventory', version: '1.0.0', providers: [InventoryWatcher] })
class InventoryPlugin {
  ctx!: PluginContext;

  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }

  @OnPluginEvent('host:ready')
  onHostReady(version: string): void {
    heard.push(`inventory host:ready ${version}`);
  }
}

@Injectable()
class FlakyHandlers {
  @OnPluginEvent('flaky:sync')
  failNow(): never {
    throw new Error('sync handler broke');
  }

  @OnPluginEvent('flaky:async')
  async failLater(): Promise<never> {
    throw new Error('async handler broke');
  }

  @OnPluginEvent('flaky:async')
  async answer(): Promise<number> {
    return 42;
  }
}

@Plugin({ name: 'flaky', version: '1.0.0', providers: [FlakyHandlers] })
class FlakyPlugin {}

@Injectable()
class HostListener {
  readonly received: unknown[] = [];

  @OnEvent('inventory:restocked')
  onRestocked(payload: unknown): void {
    this.received.push(payload);
  }
}

@Module({ providers: [HostListener] })
class HostModule {}

/** Loaded at runtime: listens on its plugin class and on a provider. */
@Injectable()
class ScoreTracker {
  @OnPluginEvent('score:*')
  onScore(points: number): void {
    heard.push(`tracker ${points}`);
  }
}

@Plugin({ name: 'scoreboard', version: '1.0.0', providers: [ScoreTracker] })
class ScoreboardPlugin {
  @OnPluginEvent('score:*')
  onScore(points: number): void {
    heard.push(`scoreboard ${points}`);
  }
}

@Plugin({ name: 'broken', version: '1.0.0' })
class BrokenPlugin {
  @OnPluginEvent('alarm:*')
  onAlarm(): void {
    heard.push('broken decorated');
  }

  onPluginInit(ctx: PluginContext): void {
    ctx.eventBus.on('alarm:*', () => heard.push('broken manual'));
    throw new Error('missing API key');
  }
}

/** Nest's Logger calls, as `context: message`, while `run` runs. */
async function loggedErrors(run: () => Promise<void>): Promise<string[]> {
  const entries: string[] = [];
  const original = Logger.prototype.error;
  Logger.prototype.error = function (this: Logger, message: unknown) {
    entries.push(`${(this as unknown as { context?: string }).context}: ${String(message)}`);
  };
  try {
    await run();
  } finally {
    Logger.prototype.error = original;
  }
  return entries;
}

beforeEach(() => {
  heard.length = 0;
});

describe('plugin events', () => {
  let app: INestApplication;
  let emitter: EventEmitter2;

  beforeEach(async () => {
    app = await bootApp([HostModule, PluginModule.forRoot({ plugins: [InventoryPlugin, FlakyPlugin] })]);
    emitter = app.get(EventEmitter2);
  });
  afterEach(() => app.close());

  it("matches '*' (one segment) and '**' (any depth) for @OnPluginEvent and ctx.eventBus alike", () => {
    const viaBus: string[] = [];
    const { eventBus } = app.get(InventoryPlugin).ctx;
    eventBus.on('stock:*', (item: string) => viaBus.push(`stock:* ${item}`));
    eventBus.on('audit:**', (entry: string) => viaBus.push(`audit:** ${entry}`));

    emitter.emit('stock:added', 'apples');
    emitter.emit('stock:shelf:moved', 'pears'); // two segments: not for 'stock:*'
    emitter.emit('audit:user:login', 'ann');
    emitter.emit('audit:export', 'csv');
    emitter.emit('unrelated', 'x');

    expect(heard).toEqual(['watcher stock:* apples', 'watcher audit:** ann', 'watcher audit:** csv']);
    expect(viaBus).toEqual(['stock:* apples', 'audit:** ann', 'audit:** csv']);
  });

  it('lets host @OnEvent hear plugin events and plugin @OnPluginEvent hear host events', () => {
    app.get(InventoryPlugin).ctx.eventBus.emit('inventory:restocked', { sku: 'A-1' });
    expect(app.get(HostListener).received).toEqual([{ sku: 'A-1' }]);

    emitter.emit('host:ready', 'v2');
    expect(heard).toEqual(['inventory host:ready v2']);
  });

  it('subscribes every stacked @OnPluginEvent of a method', () => {
    emitter.emit('order:placed', 'o-1');
    emitter.emit('order:shipped', 'o-2');
    emitter.emit('order:cancelled', 'o-3');
    expect(heard).toEqual(['watcher order o-1', 'watcher order o-2']);
  });

  it("logs a failing handler with the plugin's logger and never throws into the emitter", async () => {
    const logged = await loggedErrors(async () => {
      expect(() => emitter.emit('flaky:sync')).not.toThrow();
      // emitAsync waits for async handlers: a rejection becomes undefined, other results stay.
      await expect(emitter.emitAsync('flaky:async')).resolves.toEqual([undefined, 42]);
    });
    expect(logged).toEqual([
      'flaky: Listener FlakyHandlers.failNow for "flaky:sync" failed: sync handler broke',
      'flaky: Listener FlakyHandlers.failLater for "flaky:async" failed: async handler broke',
    ]);
  });

  describe('runtime-loaded plugins', () => {
    let manager: PluginManager;
    let files: PluginFiles;

    beforeEach(async () => {
      manager = app.get(PluginManager);
      files = await PluginFiles.create();
    });
    afterEach(() => files.remove());

    it('listen until unloaded, then the emitter is back to its listener count and nothing is called', async () => {
      const baseline = emitter.listenerCount('score:saved');
      await manager.load(ScoreboardPlugin);
      expect(emitter.listenerCount('score:saved')).toBe(baseline + 2);
      emitter.emit('score:saved', 1);
      expect([...heard].sort()).toEqual(['scoreboard 1', 'tracker 1']);

      await manager.unload('scoreboard');
      expect(emitter.listenerCount('score:saved')).toBe(baseline);
      emitter.emit('score:saved', 2);
      expect(heard).toHaveLength(2);
    });

    it('listen once after a reload: the old instances stop listening', async () => {
      const baseline = emitter.listenerCount('score:saved');
      await manager.load(ScoreboardPlugin);
      await manager.reload('scoreboard');
      expect(emitter.listenerCount('score:saved')).toBe(baseline + 2);
      emitter.emit('score:saved', 3);
      expect([...heard].sort()).toEqual(['scoreboard 3', 'tracker 3']);
    });

    it('subscribe the @OnPluginEvent methods of a plugin file, and remove them on unload', async () => {
      const file = await files.write('tally', {
        preamble: `import { OnPluginEvent } from 'nestjs-plugins';`,
        body: `static { OnPluginEvent('tally:*')(this.prototype, 'count', Object.getOwnPropertyDescriptor(this.prototype, 'count')); }
  count(n) { globalThis.eventsJournal.push('tally ' + n); }`,
      });
      const baseline = emitter.listenerCount('tally:up');
      await manager.load(file);
      emitter.emit('tally:up', 1);
      await manager.unload('tally');
      emitter.emit('tally:up', 2);
      expect(heard).toEqual(['tally 1']);
      expect(emitter.listenerCount('tally:up')).toBe(baseline);
    });

    it('emit plugin:loaded and plugin:unloaded (metadata), and plugin:error ({ error, metadata }) for a failed load', async () => {
      const events: Array<[string, unknown]> = [];
      for (const name of ['plugin:loaded', 'plugin:unloaded', 'plugin:error']) {
        emitter.on(name, (payload: unknown) => events.push([name, payload]));
      }
      await manager.load(ScoreboardPlugin);
      await manager.unload('scoreboard');
      const failure = manager.load(BrokenPlugin);
      await expect(failure).rejects.toThrow(PluginLoadError);
      await expect(failure).rejects.toThrow('Cannot load plugin from class BrokenPlugin: Plugin "broken" failed in onPluginInit: missing API key');

      expect(events.map(([name]) => name)).toEqual(['plugin:loaded', 'plugin:unloaded', 'plugin:error']);
      const scoreboard = expect.objectContaining({ name: 'scoreboard', version: '1.0.0' });
      expect(events[0][1]).toEqual(scoreboard);
      expect(events[1][1]).toEqual(scoreboard);
      expect((events[2][1] as PluginErrorEvent).error).toBe(await failure.catch((error: unknown) => error));
      expect((events[2][1] as PluginErrorEvent).metadata).toEqual(expect.objectContaining({ name: 'broken' }));
      // The failed plugin's listeners, decorated or added in onPluginInit, went with it.
      expect(emitter.listenerCount('alarm:ring')).toBe(0);
    });
  });
});

describe('plugin events while plugins start', () => {
  @Injectable()
  class LedgerBook {
    readonly entries: string[] = [];

    @OnPluginEvent('ledger:*')
    record(entry: string): void {
      this.entries.push(entry);
    }
  }

  @Plugin({ name: 'ledger', version: '1.0.0', providers: [LedgerBook] })
  class LedgerPlugin {
    onPluginInit(ctx: PluginContext): void {
      ctx.eventBus.emit('ledger:opened', 'opened by ledger');
    }
  }

  @Plugin({ name: 'shop', version: '1.0.0', dependencies: ['ledger'] })
  class ShopPlugin {
    onPluginInit(ctx: PluginContext): void {
      ctx.eventBus.emit('ledger:sale', 'sale by shop');
    }
  }

  it('a plugin hears what it and the plugins started after it emit in onPluginInit', async () => {
    // Listed dependent first: the dependency order, not the list, decides who starts first.
    const app = await bootApp([PluginModule.forRoot({ plugins: [ShopPlugin, LedgerPlugin] })]);
    expect(app.get(LedgerBook).entries).toEqual(['opened by ledger', 'sale by shop']);
    await app.close();
  });

  it("a plugin whose onPluginInit fails (onError: 'isolate') keeps no listener", async () => {
    const app = await bootApp([PluginModule.forRoot({ plugins: [BrokenPlugin], onError: 'isolate' })]);
    const emitter = app.get(EventEmitter2);
    expect(app.get(PluginRegistry).list().map(({ state }) => state)).toEqual(['failed']);
    expect(emitter.listenerCount('alarm:ring')).toBe(0);
    emitter.emit('alarm:ring');
    expect(heard).toEqual([]);
    await app.close();
  });
});
