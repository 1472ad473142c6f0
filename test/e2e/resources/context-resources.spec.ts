import 'reflect-metadata';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  BucketAccessDeniedError,
  ContextInvalidatedError,
  InjectPluginContext,
  InvalidObjectKeyError,
  InvalidResourceOverridesError,
  LocalDirectoryStorageDriver,
  Plugin,
  PluginManager,
  PluginModule,
  TopicAccessDeniedError,
  type PluginContext,
  type ReceivedTopicMessage,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';

@Plugin({ name: 'orders', version: '1.0.0', allowedTopics: ['placed', 'audit'], allowedBuckets: ['invoices'] })
class OrdersPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Plugin({ name: 'billing', version: '1.0.0', allowedTopics: ['placed', 'audit'], allowedBuckets: ['invoices'] })
class BillingPlugin {
  readonly received: ReceivedTopicMessage[] = [];
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}

  async onPluginInit(ctx: PluginContext): Promise<void> {
    await ctx.topics.subscribe('placed', (message) => this.received.push(message));
    await ctx.topics.subscribe('audit', (message) => this.received.push(message));
  }
}

/** Loaded at runtime, so its instance is not reachable with `app.get`: it hands out its context instead. */
let archiveContext: PluginContext | undefined;
@Plugin({ name: 'archiver', version: '1.0.0', allowedBuckets: ['invoices'] })
class ArchivePlugin {
  onPluginInit(ctx: PluginContext): void {
    archiveContext = ctx;
  }
}

describe('ctx.topics and ctx.buckets in an application', () => {
  let app: INestApplication | undefined;
  let storageRoot: string;

  beforeEach(async () => {
    storageRoot = await mkdtemp(join(tmpdir(), 'plugin-buckets-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await rm(storageRoot, { recursive: true, force: true });
  });

  async function boot(options: Parameters<typeof PluginModule.forRoot>[0] = {}): Promise<INestApplication> {
    app = await bootApp([
      PluginModule.forRoot({
        plugins: [OrdersPlugin, BillingPlugin],
        storageDriver: new LocalDirectoryStorageDriver(storageRoot),
        ...options,
      }),
    ]);
    return app;
  }

  it('keeps each plugin on its own prefixed topics unless the host maps them together', async () => {
    const started = await boot({ overrides: { orders: { topicNameMap: { audit: 'shared-audit' } }, billing: { topicNameMap: { audit: 'shared-audit' } } } });
    const orders = started.get(OrdersPlugin);
    const billing = started.get(BillingPlugin);

    await orders.ctx.topics.send('placed', [{ key: 'o-1', value: { total: 12 } }]);
    expect(billing.received).toEqual([]);

    await orders.ctx.topics.send('audit', [{ value: 'order o-1 placed' }]);
    expect(billing.received).toEqual([{ topic: 'audit', value: 'order o-1 placed' }]);

    await expect(orders.ctx.topics.send('payments', [{ value: 1 }])).rejects.toThrow(TopicAccessDeniedError);
    await expect(orders.ctx.topics.subscribe('payments', () => undefined)).rejects.toThrow(
      'Plugin "orders" may not access topic "payments" (allowed: placed, audit)',
    );
  });

  it('ends a plugin subscriptions when it unloads', async () => {
    const started = await boot({ overrides: { orders: { topicNameMap: { audit: 'shared-audit' } }, billing: { topicNameMap: { audit: 'shared-audit' } } } });
    const orders = started.get(OrdersPlugin);
    const billing = started.get(BillingPlugin);
    const billingTopics = billing.ctx.topics;

    await started.get(PluginManager).unload('billing');
    await orders.ctx.topics.send('audit', [{ value: 'after unload' }]);
    expect(billing.received).toEqual([]);
    await expect(billingTopics.send('audit', [{ value: 'late' }])).rejects.toThrow(ContextInvalidatedError);
  });

  it('stores each plugin objects in its own prefixed bucket', async () => {
    const started = await boot();
    const orders = started.get(OrdersPlugin);
    const billing = started.get(BillingPlugin);

    await orders.ctx.buckets.upload('2026/o-1.txt', 'invoice o-1', 'text/plain', 'invoices');
    expect(await readFile(join(storageRoot, 'orders_invoices', '2026', 'o-1.txt'), 'utf8')).toBe('invoice o-1');
    expect((await orders.ctx.buckets.download('2026/o-1.txt', 'invoices')).toString()).toBe('invoice o-1');
    expect(await orders.ctx.buckets.list('invoices', '2026/')).toEqual(['2026/o-1.txt']);
    expect(await billing.ctx.buckets.list('invoices')).toEqual([]);

    await expect(orders.ctx.buckets.upload('x', 'y', 'text/plain', 'secrets')).rejects.toThrow(BucketAccessDeniedError);
    await expect(orders.ctx.buckets.upload('../billing_invoices/x', 'y', 'text/plain', 'invoices')).rejects.toThrow(InvalidObjectKeyError);
    await orders.ctx.buckets.delete('2026/o-1.txt', 'invoices');
    expect(await orders.ctx.buckets.list('invoices')).toEqual([]);
  });

  it('applies load overrides to a plugin loaded at runtime, and setResourceOverrides to its next call', async () => {
    const started = await boot({ plugins: [] });
    const manager = started.get(PluginManager);
    await manager.load(ArchivePlugin, { allowedBuckets: ['archive'], bucketNameMap: { archive: 'company-archive' } });
    const ctx = archiveContext!;

    await ctx.buckets.upload('a.txt', 'kept', 'text/plain', 'archive');
    expect(await readFile(join(storageRoot, 'company-archive', 'a.txt'), 'utf8')).toBe('kept');
    await expect(ctx.buckets.upload('a.txt', 'x', 'text/plain', 'invoices')).rejects.toThrow(
      'Plugin "archiver" may not access bucket "invoices" (allowed: archive)',
    );

    manager.setResourceOverrides('archiver', { allowedBuckets: ['invoices'] });
    await ctx.buckets.upload('b.txt', 'now allowed', 'text/plain', 'invoices');
    expect(await readFile(join(storageRoot, 'archiver_invoices', 'b.txt'), 'utf8')).toBe('now allowed');

    expect(() => manager.setResourceOverrides('archiver', { allowedBuckets: 'invoices' } as never)).toThrow(InvalidResourceOverridesError);
  });

  it('rejects bad overrides in forRoot at boot, naming the plugin', async () => {
    await expect(boot({ overrides: { orders: { allowedTopics: [''] } } })).rejects.toThrow(
      'Invalid resource overrides for plugin "orders": allowedTopics must be an array of non-empty strings',
    );
  });
});
