import 'reflect-metadata';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import {
  InjectPluginContext,
  Plugin,
  PluginNotActiveError,
  TopicAccessDeniedError,
  type OnPluginDestroy,
  type PluginContext,
  type ReceivedTopicMessage,
} from 'nestjs-plugins';
import { createPluginTestingModule, type PluginTestingModule } from 'nestjs-plugins/testing';
import { UserUtilsPlugin } from '../../../plugins/user-utils/user-utils.plugin.js';

let destroyed = 0;

@Plugin({ name: 'orders', version: '1.0.0', allowedTopics: ['placed'], allowedBuckets: ['invoices'] })
class OrdersPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Plugin({ name: 'billing', version: '1.0.0', allowedTopics: ['placed'], allowedBuckets: ['invoices'] })
class BillingPlugin implements OnPluginDestroy {
  readonly received: ReceivedTopicMessage[] = [];

  async onPluginInit(ctx: PluginContext): Promise<void> {
    // Mapped onto orders' topic by the test's overrides: the kit passes PluginModule options through.
    await ctx.topics.subscribe('placed', (message) => this.received.push(message));
  }

  onPluginDestroy(): void {
    destroyed++;
  }
}

@Injectable()
class HostListener {
  readonly seen: unknown[] = [];

  @OnEvent('order:*')
  record(payload: unknown): void {
    this.seen.push(payload);
  }
}

describe('createPluginTestingModule', () => {
  let kit: PluginTestingModule | undefined;

  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it("boots the sample's user-utils plugin with its table on SQLite in memory", async () => {
    kit = await createPluginTestingModule({ plugins: [UserUtilsPlugin] });

    expect(kit.registry.isActive('user-utils')).toBe(true);
    await expect(kit.registry.call('user-utils', 'addScore', 'ada', 5)).resolves.toBe(5);
    await expect(kit.registry.get(UserUtilsPlugin).addScore('ada', 2)).resolves.toBe(7);
    await expect(kit.get(UserUtilsPlugin).getScore('ada')).resolves.toBe(7);
    await kit.registry.call('user-utils', 'resetScore', 'ada');
    await expect(kit.registry.call('user-utils', 'getScore', 'ada')).resolves.toBe(0);

    const dataSource = kit.get(DataSource);
    expect(dataSource.options).toMatchObject({ type: 'better-sqlite3', database: ':memory:' });
    const tables = await dataSource.query<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'user-utils_user_scores'`);
    expect(tables).toHaveLength(1);
  });

  it('gives each test module a database of its own', async () => {
    const first = await createPluginTestingModule({ plugins: [UserUtilsPlugin] });
    kit = await createPluginTestingModule({ plugins: [UserUtilsPlugin] });
    try {
      await first.registry.call('user-utils', 'addScore', 'ada', 3);
      await expect(kit.registry.call('user-utils', 'getScore', 'ada')).resolves.toBe(0);
    } finally {
      await first.close();
    }
  });

  it('runs plugins with in-process topics and in-memory buckets, honouring overrides and extra imports', async () => {
    kit = await createPluginTestingModule({
      plugins: [OrdersPlugin, BillingPlugin],
      overrides: { billing: { topicNameMap: { placed: 'orders_placed' } } },
      providers: [HostListener],
    });
    const orders = kit.get(OrdersPlugin).ctx;

    await orders.topics.send('placed', [{ key: 'o-1', value: { total: 12 } }]);
    expect(kit.get(BillingPlugin).received).toEqual([{ topic: 'placed', key: 'o-1', value: { total: 12 } }]);
    await expect(orders.topics.send('refunds', [])).rejects.toThrow(TopicAccessDeniedError);

    await orders.buckets.upload('2026/o-1.txt', 'invoice o-1', 'text/plain', 'invoices');
    await expect(kit.context(BillingPlugin).buckets.list('invoices')).resolves.toEqual([]);
    await expect(orders.buckets.download('2026/o-1.txt', 'invoices')).resolves.toEqual(Buffer.from('invoice o-1'));
    expect(kit.storage.bucketNames()).toEqual(['orders_invoices']);

    orders.eventBus.emit('order:placed', { id: 'o-1' });
    expect(kit.get(HostListener).seen).toEqual([{ id: 'o-1' }]);
  });

  it('close() stops the plugins and leaves no temporary directory behind', async () => {
    const before = await readdir(tmpdir());
    destroyed = 0;
    const started = await createPluginTestingModule({ plugins: [UserUtilsPlugin, OrdersPlugin, BillingPlugin] });
    await started.get(OrdersPlugin).ctx.buckets.upload('a.txt', 'a', 'text/plain', 'invoices');
    await started.close();

    expect(destroyed).toBe(1);
    expect(() => started.registry.call('user-utils', 'getScore', 'ada')).toThrow(PluginNotActiveError);
    expect(started.get(DataSource).isInitialized).toBe(false);
    expect(await readdir(tmpdir())).toEqual(before);
  });

  it('boots plugins without tables with no database at all', async () => {
    kit = await createPluginTestingModule({ plugins: [OrdersPlugin], database: false });
    expect(() => kit!.get(DataSource)).toThrow();
    expect(kit.registry.isActive('orders')).toBe(true);
  });

  it('rejects on a boot failure instead of ending the process', async () => {
    @Plugin({ name: 'needy', version: '1.0.0', dependencies: ['absent'] })
    class NeedyPlugin {}

    await expect(createPluginTestingModule({ plugins: [NeedyPlugin] })).rejects.toThrow(
      'Plugin "needy" requires "absent" (any version), which is not installed',
    );
  });
});
