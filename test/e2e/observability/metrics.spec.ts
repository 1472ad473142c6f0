import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Expose, LocalDirectoryStorageDriver, Plugin, PluginModule, PluginRegistry, type PluginContext } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { parsePrometheusText, valueOf, type PrometheusSample } from './prometheus-samples.js';

const OPERATOR_KEY = 'operator-key-0123456789';
const PLUGIN_KEYS = { counter: 'counter-key-0123456789' };

class CounterBrokenError extends Error {
  readonly code = 'COUNTER_BROKEN';
}

@Entity('tallies')
class Tally {
  @PrimaryGeneratedColumn() id!: number;
  @Column('integer') amount!: number;
}

@Plugin({ name: 'counter', version: '1.0.0', entities: [Tally], allowedTables: ['tallies'], allowedTopics: ['ticks'], allowedBuckets: ['reports'] })
class CounterPlugin {
  ctx!: PluginContext;
  total = 0;
  received = 0;

  async onPluginInit(ctx: PluginContext): Promise<void> {
    this.ctx = ctx;
    await ctx.topics.subscribe('ticks', () => {
      this.received++;
    });
  }

  @Expose()
  inc(n: number): number {
    return (this.total += n);
  }

  @Expose()
  async later(n: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return (this.total += n);
  }

  @Expose()
  broken(): never {
    throw new CounterBrokenError('broken on purpose');
  }

  @Expose()
  async rejects(): Promise<never> {
    throw new Error('no code');
  }
}

@Plugin({ name: 'client', version: '1.0.0', dependencies: ['counter'] })
class ClientPlugin {
  ctx!: PluginContext;

  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }
}

describe('per-plugin metrics at GET /api/plugin-gateway/metrics', () => {
  let database: TestDatabase;
  let bucketDirectory: string;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    bucketDirectory = await mkdtemp(join(tmpdir(), 'metrics-buckets-'));
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [CounterPlugin, ClientPlugin], storageDriver: new LocalDirectoryStorageDriver(bucketDirectory) }),
      PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys: PLUGIN_KEYS }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await rm(bucketDirectory, { recursive: true, force: true });
  });

  async function scrape(): Promise<PrometheusSample[]> {
    const response = await request(app.getHttpServer()).get('/api/plugin-gateway/metrics').set('X-API-Key', OPERATOR_KEY).expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parsePrometheusText(response.text);
  }

  const calls = (method: string, caller: string, outcome: 'ok' | 'error') => ({ plugin: 'counter', method, caller, outcome });

  it('counts exactly the calls made, by method, caller and outcome, and errors under their code', async () => {
    const registry = app.get(PluginRegistry);
    const client = app.get(ClientPlugin).ctx;
    for (let i = 0; i < 7; i++) registry.call('counter', 'inc', 1);
    for (let i = 0; i < 5; i++) client.call('counter', 'inc', 1);
    const handle = registry.get('counter') as unknown as { inc(n: number): number };
    for (let i = 0; i < 3; i++) handle.inc(1);
    await Promise.all(Array.from({ length: 4 }, () => client.call('counter', 'later', 1)));
    for (let i = 0; i < 2; i++) expect(() => client.call('counter', 'broken')).toThrow(CounterBrokenError);
    await Promise.all(Array.from({ length: 6 }, () => expect(registry.call('counter', 'rejects')).rejects.toThrow('no code')));

    const samples = await scrape();
    expect(valueOf(samples, 'plugin_calls_total', calls('inc', '(host)', 'ok'))).toBe(10);
    expect(valueOf(samples, 'plugin_calls_total', calls('inc', 'client', 'ok'))).toBe(5);
    expect(valueOf(samples, 'plugin_calls_total', calls('inc', 'client', 'error'))).toBe(0);
    expect(valueOf(samples, 'plugin_calls_total', calls('later', 'client', 'ok'))).toBe(4);
    expect(valueOf(samples, 'plugin_calls_total', calls('broken', 'client', 'error'))).toBe(2);
    expect(valueOf(samples, 'plugin_calls_total', calls('broken', 'client', 'ok'))).toBe(0);
    expect(valueOf(samples, 'plugin_calls_total', calls('rejects', '(host)', 'error'))).toBe(6);
    expect(valueOf(samples, 'plugin_call_errors_total', { plugin: 'counter', method: 'broken', code: 'COUNTER_BROKEN' })).toBe(2);
    expect(valueOf(samples, 'plugin_call_errors_total', { plugin: 'counter', method: 'rejects', code: 'UNKNOWN' })).toBe(6);
    // A method that returns promises is timed on every call; a synchronous one once per caller in each 50 ms tick (the first call included).
    expect(valueOf(samples, 'plugin_call_duration_seconds_count', { plugin: 'counter', method: 'later' })).toBe(4);
    expect(valueOf(samples, 'plugin_call_duration_seconds_bucket', { plugin: 'counter', method: 'later', le: '+Inf' })).toBe(4);
    expect(valueOf(samples, 'plugin_call_duration_seconds_bucket', { plugin: 'counter', method: 'later', le: '0.0001' })).toBe(0);
    const timedIncs = valueOf(samples, 'plugin_call_duration_seconds_count', { plugin: 'counter', method: 'inc' });
    expect(timedIncs).toBeGreaterThanOrEqual(2);
    expect(timedIncs).toBeLessThanOrEqual(15);
    expect(samples.filter((sample) => sample.name === 'plugin_calls_total' && sample.labels.plugin !== 'counter')).toEqual([]);
  });

  it('counts raw SQL by outcome with its time, topic messages both ways and bucket bytes, on the plugin that did them', async () => {
    const counter = app.get(CounterPlugin).ctx;
    for (let i = 0; i < 3; i++) await counter.database.executeQuery('INSERT INTO tallies (amount) VALUES (?)', [i]);
    await counter.database.executeQuery('SELECT amount FROM tallies');
    await expect(counter.database.executeQuery('SELECT * FROM sqlite_master')).rejects.toMatchObject({ code: expect.stringMatching(/^PLUGIN_/) });
    await expect(counter.database.executeQuery('INSERT INTO tallies (missing_column) VALUES (1)')).rejects.toThrow();
    await counter.topics.send('ticks', [{ value: 1 }, { value: 2 }]);
    await counter.topics.send('ticks', [{ value: 3 }]);
    await counter.buckets.upload('a.txt', 'twelve bytes', 'text/plain', 'reports');
    expect((await counter.buckets.download('a.txt', 'reports')).length).toBe(12);
    await counter.buckets.download('a.txt', 'reports');

    const samples = await scrape();
    expect(valueOf(samples, 'plugin_sql_statements_total', { plugin: 'counter', outcome: 'ok' })).toBe(4);
    expect(valueOf(samples, 'plugin_sql_statements_total', { plugin: 'counter', outcome: 'refused' })).toBe(1);
    expect(valueOf(samples, 'plugin_sql_statements_total', { plugin: 'counter', outcome: 'error' })).toBe(1);
    expect(valueOf(samples, 'plugin_sql_seconds_total', { plugin: 'counter' })).toBeGreaterThan(0);
    expect(valueOf(samples, 'plugin_topic_messages_total', { plugin: 'counter', direction: 'sent' })).toBe(3);
    expect(app.get(CounterPlugin).received).toBe(3);
    expect(valueOf(samples, 'plugin_topic_messages_total', { plugin: 'counter', direction: 'received' })).toBe(3);
    expect(valueOf(samples, 'plugin_bucket_bytes_total', { plugin: 'counter', direction: 'uploaded' })).toBe(12);
    expect(valueOf(samples, 'plugin_bucket_bytes_total', { plugin: 'counter', direction: 'downloaded' })).toBe(24);
    expect(valueOf(samples, 'plugin_sql_statements_total', { plugin: 'client', outcome: 'ok' })).toBeUndefined();
  });

  it("answers a plugin's key with 403 and no metrics, and a request without a key with 401", async () => {
    const asPlugin = await request(app.getHttpServer()).get('/api/plugin-gateway/metrics').set('X-API-Key', PLUGIN_KEYS.counter);
    expect(asPlugin.status).toBe(403);
    expect(asPlugin.text).not.toContain('plugin_calls_total');
    await request(app.getHttpServer()).get('/api/plugin-gateway/metrics').expect(401);
  });
});

@Plugin({ name: 'pricer', version: '1.0.0' })
class PricerPlugin {
  @Expose()
  price(n: number): number {
    return n * 2;
  }
}

@Plugin({ name: 'shop', version: '1.0.0', dependencies: ['pricer'] })
class ShopPlugin {}

describe('metrics with the tenant label, through the gateway', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await bootApp([
      PluginModule.forRoot({ plugins: [PricerPlugin, ShopPlugin], metrics: { tenantLabel: true } }),
      PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys: PLUGIN_KEYS }),
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  it("counts a gateway call under its calling plugin and tenant, and a host call outside any tenant under ''", async () => {
    const call = { callerPluginId: 'shop', targetPluginId: 'pricer', targetServiceName: 'pricer', method: 'POST', path: '/price', body: [2] };
    for (const tenant of ['acme', 'acme', 'globex']) {
      await request(app.getHttpServer()).post('/api/plugin-gateway/call').set('X-API-Key', OPERATOR_KEY).set('X-Tenant-Slug', tenant).send(call).expect(200);
    }
    app.get(PluginRegistry).call('pricer', 'price', 1);
    const response = await request(app.getHttpServer()).get('/api/plugin-gateway/metrics').set('X-API-Key', OPERATOR_KEY).expect(200);
    const samples = parsePrometheusText(response.text);
    const prices = (caller: string, tenant: string) => valueOf(samples, 'plugin_calls_total', { plugin: 'pricer', method: 'price', caller, tenant, outcome: 'ok' });
    expect(prices('shop', 'acme')).toBe(2);
    expect(prices('shop', 'globex')).toBe(1);
    expect(prices('(host)', '')).toBe(1);
  });
});
