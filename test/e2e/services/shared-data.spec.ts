import 'reflect-metadata';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { ContextInvalidatedError, Plugin, PluginCallContext, PluginModule } from 'nestjs-plugins';
import {
  SharedDataArgumentError,
  SharedDataOwnershipError,
  SharedDataUnavailableError,
  SharedDataValueError,
} from '../../../lib/errors/shared-data.errors.js';
import { PluginSharedData } from '../../../lib/services/shared-data/plugin-shared-data.js';
import { PLUGIN_SHARED_DATA_OPTIONS, type SharedDataOptions } from '../../../lib/services/shared-data/shared-data.options.js';
import { SharedDataService } from '../../../lib/services/shared-data/shared-data.service.js';
import { bootApp } from '../support/boot-app.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type TestDatabase } from '../../support/test-databases.js';

/** A module of the test's own that provides the service with the test's options. */
function sharedDataTestModule(options: SharedDataOptions): Type {
  @Module({ providers: [SharedDataService, { provide: PLUGIN_SHARED_DATA_OPTIONS, useValue: options }] })
  class SharedDataTestModule {}
  return SharedDataTestModule;
}

/** This test module's instance, whatever else in the application provides the service. */
function serviceOf(app: INestApplication, module: Type): SharedDataService {
  return app.select(module).get(SharedDataService, { strict: true });
}

/** The documented DDL, for hosts whose DataSource does not synchronize. */
const HOST_DDL = [
  `CREATE TABLE "plugin_shared_data" (
    "tenant_id"  varchar(255) NOT NULL,
    "namespace"  varchar(255) NOT NULL,
    "key"        varchar(255) NOT NULL,
    "value"      text         NOT NULL,
    "owner_id"   varchar(255) NOT NULL,
    "expires_at" bigint,
    "updated_at" bigint       NOT NULL,
    PRIMARY KEY ("tenant_id", "namespace", "key")
  )`,
  `CREATE INDEX "IDX_plugin_shared_data_expires_at" ON "plugin_shared_data" ("expires_at")`,
];

const START = Date.UTC(2026, 0, 22, 16, 0, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(databaseKinds)('shared data on %s', (kind) => {
  let database: TestDatabase;
  let app: INestApplication | undefined;
  let clock: number;
  let service: SharedDataService;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = START;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database.drop();
  });

  async function boot(options: SharedDataOptions = { now: () => clock }, synchronize = true): Promise<void> {
    const testModule = sharedDataTestModule(options);
    app = await bootApp([TypeOrmModule.forRoot({ ...database.connection, synchronize }), PluginModule.forRoot({ plugins: [] }), testModule]);
    service = serviceOf(app, testModule);
    dataSource = app.get(DataSource);
  }

  async function rowCount(): Promise<number> {
    const [{ count }] = await dataSource.query('SELECT COUNT(*) AS "count" FROM "plugin_shared_data"');
    return Number(count);
  }

  const asTenant = <T>(tenantId: string, fn: () => Promise<T>) => PluginCallContext.run({ tenantId }, fn);

  it('creates its own unprefixed table and round-trips set, get, list and delete', async () => {
    await boot();
    await service.set('crm', 'lastSync', '2026-01-22T16:00:00Z', { ownerId: 'crm' });
    await service.set('crm', 'contactCount', 1250, { ownerId: 'crm' });

    expect(await service.get('crm', 'lastSync')).toBe('2026-01-22T16:00:00Z');
    expect(await service.get<number>('crm', 'contactCount')).toBe(1250);
    expect(await service.get('crm', 'missing')).toBeUndefined();
    expect(await service.get('other', 'lastSync')).toBeUndefined();
    expect(await service.list('crm')).toEqual(['contactCount', 'lastSync']);
    expect(await rowCount()).toBe(2);

    expect(await service.delete('crm', 'lastSync', 'crm')).toBe(true);
    expect(await service.delete('crm', 'lastSync', 'crm')).toBe(false);
    expect(await service.get('crm', 'lastSync')).toBeUndefined();
    expect(await service.list('crm')).toEqual(['contactCount']);
  });

  it('stores JSON values and gives them back equal, null included', async () => {
    await boot();
    const values: Record<string, unknown> = {
      object: { requestId: '123', approver: 'user_456', nested: { ok: true, list: [1, 2] } },
      array: [1, 'two', null, { three: 3 }],
      integer: 42,
      fraction: -0.125,
      text: 'héllo "quoted" \n line',
      empty: '',
      nothing: null,
      flag: false,
    };
    for (const [key, value] of Object.entries(values)) await service.set('values', key, value, { ownerId: 'tester' });
    for (const [key, value] of Object.entries(values)) expect(await service.get('values', key)).toEqual(value);
    expect(await service.list('values')).toEqual(Object.keys(values).sort());
  });

  it('describes an entry with its owner and times', async () => {
    await boot();
    await service.set('crm', 'lastSync', { at: 1 }, { ownerId: 'crm', ttl: 3600 });
    expect(await service.getEntry('crm', 'lastSync')).toEqual({
      namespace: 'crm',
      key: 'lastSync',
      value: { at: 1 },
      ownerId: 'crm',
      expiresAt: '2026-01-22T17:00:00.000Z',
      updatedAt: '2026-01-22T16:00:00.000Z',
    });
    clock += 1500;
    await service.set('crm', 'lastSync', { at: 2 }, { ownerId: 'crm' });
    const entry = await service.getEntry('crm', 'lastSync');
    expect(entry).toEqual({ namespace: 'crm', key: 'lastSync', value: { at: 2 }, ownerId: 'crm', updatedAt: '2026-01-22T16:00:01.500Z' });
    expect(entry).not.toHaveProperty('expiresAt');
    expect(await service.getEntry('crm', 'missing')).toBeUndefined();
  });

  it('refuses values that are not JSON and names that are not sane, writing nothing', async () => {
    await boot();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [undefined, () => 1, 10n, cycle]) {
      await expect(service.set('crm', 'bad', value, { ownerId: 'crm' })).rejects.toThrow(SharedDataValueError);
    }
    await expect(service.set('crm', 'bad', () => 1, { ownerId: 'crm' })).rejects.toThrow(
      'Shared data "crm/bad" cannot be stored: function is not a JSON value',
    );
    await expect(service.set('', 'k', 1, { ownerId: 'crm' })).rejects.toThrow(SharedDataArgumentError);
    await expect(service.get('crm', 'k'.repeat(256))).rejects.toThrow(
      'Invalid shared data key: must be a non-empty string of at most 255 characters, got 256 characters',
    );
    await expect(service.set('crm', 'k', 1, { ownerId: '' })).rejects.toThrow('Invalid shared data ownerId');
    await expect(service.set('crm', 'k', 1, { ownerId: 'crm', ttl: 0 })).rejects.toThrow(
      'Invalid shared data ttl: must be a positive number of seconds, got 0',
    );
    await expect(service.list('crm', { ownerId: '' })).rejects.toThrow(SharedDataArgumentError);
    expect(await rowCount()).toBe(0);
  });

  it('lets anyone read a key, but only its owner overwrite or delete it', async () => {
    await boot();
    await service.set('crm', 'lastSync', 'v1', { ownerId: 'crm' });

    expect(await service.get('crm', 'lastSync')).toBe('v1');
    const overwrite = service.set('crm', 'lastSync', 'hijacked', { ownerId: 'analytics' });
    await expect(overwrite).rejects.toThrow(SharedDataOwnershipError);
    await expect(overwrite).rejects.toThrow('Plugin "analytics" may not overwrite "crm/lastSync" owned by "crm"');
    const removal = service.delete('crm', 'lastSync', 'analytics');
    await expect(removal).rejects.toThrow(SharedDataOwnershipError);
    await expect(removal).rejects.toMatchObject({ code: 'PLUGIN_SHARED_DATA_OWNERSHIP', pluginName: 'analytics', ownerId: 'crm', write: 'delete' });
    await expect(removal).rejects.toThrow('Plugin "analytics" may not delete "crm/lastSync" owned by "crm"');
    expect(await service.getEntry('crm', 'lastSync')).toMatchObject({ value: 'v1', ownerId: 'crm' });

    await service.set('crm', 'lastSync', 'v2', { ownerId: 'crm' });
    expect(await service.get('crm', 'lastSync')).toBe('v2');
    expect(await service.delete('crm', 'lastSync', 'crm')).toBe(true);
    // Deleted: the key is free for a new owner.
    await service.set('crm', 'lastSync', 'mine now', { ownerId: 'analytics' });
    expect(await service.getEntry('crm', 'lastSync')).toMatchObject({ value: 'mine now', ownerId: 'analytics' });
  });

  it('lists a namespace sorted by code unit, optionally one owner keys only', async () => {
    await boot();
    for (const key of ['b', 'a', 'Z', 'a-1', 'ä']) await service.set('mixed', key, 1, { ownerId: key === 'a' ? 'analytics' : 'crm' });
    await service.set('elsewhere', 'c', 1, { ownerId: 'crm' });
    expect(await service.list('mixed')).toEqual(['Z', 'a', 'a-1', 'b', 'ä']);
    expect(await service.list('mixed', { ownerId: 'analytics' })).toEqual(['a']);
    expect(await service.list('mixed', { ownerId: 'nobody' })).toEqual([]);
    expect(await service.list('empty')).toEqual([]);
  });

  it('never returns an expired entry, and lets a new owner take the key', async () => {
    await boot();
    await service.set('cache', 'report', { total: 1 }, { ownerId: 'analytics', ttl: 10 });
    await service.set('cache', 'forever', 1, { ownerId: 'analytics' });

    clock += 9_999;
    expect(await service.get('cache', 'report')).toEqual({ total: 1 });
    expect(await service.list('cache')).toEqual(['forever', 'report']);

    clock += 1;
    expect(await service.get('cache', 'report')).toBeUndefined();
    expect(await service.getEntry('cache', 'report')).toBeUndefined();
    expect(await service.list('cache')).toEqual(['forever']);
    expect(await service.list('cache', { ownerId: 'analytics' })).toEqual(['forever']);
    expect(await rowCount()).toBe(2); // still there until purged, but absent to every read

    // Expired counts as absent: another plugin may create it, its old owner finds nothing to delete.
    expect(await service.delete('cache', 'report', 'crm')).toBe(false);
    await service.set('cache', 'report', 'crm took it', { ownerId: 'crm', ttl: 0.5 });
    expect(await service.getEntry('cache', 'report')).toMatchObject({
      value: 'crm took it',
      ownerId: 'crm',
      expiresAt: new Date(clock + 500).toISOString(),
    });
    await expect(service.set('cache', 'report', 'back', { ownerId: 'analytics' })).rejects.toThrow(SharedDataOwnershipError);

    clock += 500;
    expect(await service.delete('cache', 'report', 'crm')).toBe(false);
    expect(await rowCount()).toBe(1);
  });

  it('drops the expiry when the owner sets the key again without a ttl', async () => {
    await boot();
    await service.set('cache', 'k', 1, { ownerId: 'crm', ttl: 1 });
    await service.set('cache', 'k', 2, { ownerId: 'crm' });
    clock += 60_000;
    expect(await service.get('cache', 'k')).toBe(2);
  });

  it('expires a real short ttl', async () => {
    await boot({});
    await service.set('cache', 'blink', 'here', { ownerId: 'crm', ttl: 0.2 });
    expect(await service.get('cache', 'blink')).toBe('here');
    await sleep(300);
    expect(await service.get('cache', 'blink')).toBeUndefined();
  });

  it('purges expired rows of every tenant, and leaves live ones', async () => {
    await boot();
    await service.set('cache', 'a', 1, { ownerId: 'crm', ttl: 1 });
    await asTenant('acme', () => service.set('cache', 'a', 1, { ownerId: 'crm', ttl: 2 }));
    await asTenant('globex', () => service.set('cache', 'b', 1, { ownerId: 'crm', ttl: 60 }));
    await service.set('cache', 'kept', 1, { ownerId: 'crm' });
    expect(await rowCount()).toBe(4);

    clock += 2_000;
    expect(await service.purgeExpired()).toBe(2);
    expect(await rowCount()).toBe(2);
    expect(await service.purgeExpired()).toBe(0);
    expect(await asTenant('globex', () => service.get('cache', 'b'))).toBe(1);
  });

  it('purges on a timer, and stops the timer when the application closes', async () => {
    let clockReads = 0;
    await boot({ now: () => (clockReads++, clock), purgeIntervalMs: 20 });
    await service.set('cache', 'a', 1, { ownerId: 'crm', ttl: 1 });
    await service.set('cache', 'kept', 1, { ownerId: 'crm' });
    clock += 1_000;
    for (let waited = 0; (await rowCount()) > 1 && waited < 2_000; waited += 20) await sleep(20);
    expect(await rowCount()).toBe(1);

    await app!.close();
    app = undefined;
    const readsAtClose = clockReads;
    await sleep(80);
    // Each purge reads the clock: none ran after the close.
    expect(clockReads).toBe(readsAtClose);
  });

  it('arms the purge timer only once the application has booted: a boot that fails leaves none', async () => {
    @Plugin({ name: 'fails-to-start', version: '1.0.0' })
    class FailsToStart {
      onPluginInit(): void {
        throw new Error('not today');
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
        PluginModule.forRoot({ plugins: [FailsToStart], sharedData: { purgeIntervalMs: 20 } }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    const failed = moduleRef.createNestApplication({ logger: false });
    await expect(failed.init()).rejects.toThrow('not today');
    try {
      await failed.get(SharedDataService).set('cache', 'gone', 1, { ownerId: 'crm', ttl: 0.01 });
      await sleep(200);
      // Expired for 190 ms, purged every 20 ms once armed: still there, so no timer ran.
      const [{ count }] = await failed.get(DataSource).query('SELECT COUNT(*) AS "count" FROM "plugin_shared_data"');
      expect(Number(count)).toBe(1);
    } finally {
      await failed.close();
    }
  });

  it('keeps 10 tenants apart under 500 concurrent operations on the same names', async () => {
    await boot();
    const tenants = Array.from({ length: 10 }, (_, index) => `tenant-${index}`);
    const keys = Array.from({ length: 25 }, (_, index) => `key-${String(index).padStart(2, '0')}`);
    // 250 writes, each followed by a read of the same key, all under way at once: 500 operations.
    const seen = await Promise.all(
      tenants.flatMap((tenantId) =>
        keys.map((key) =>
          asTenant(tenantId, async () => {
            await service.set('shared', key, { tenantId, key }, { ownerId: `owner-of-${tenantId}` });
            return service.get<{ tenantId: string; key: string }>('shared', key);
          }),
        ),
      ),
    );
    expect(seen).toEqual(tenants.flatMap((tenantId) => keys.map((key) => ({ tenantId, key }))));

    for (const tenantId of tenants) {
      await asTenant(tenantId, async () => {
        expect(await service.list('shared')).toEqual(keys);
        expect(await service.get('shared', 'key-07')).toEqual({ tenantId, key: 'key-07' });
        // Ownership is per tenant too: another tenant's owner does not hold this tenant's key.
        expect(await service.list('shared', { ownerId: `owner-of-${tenantId}` })).toEqual(keys);
      });
    }
    expect(await service.list('shared')).toEqual([]);
    expect(await rowCount()).toBe(250);
  });

  it('lets exactly one of several owners racing for a new key win', async () => {
    await boot();
    for (let round = 0; round < 5; round++) {
      const owners = Array.from({ length: 12 }, (_, index) => `plugin-${index}`);
      const results = await Promise.allSettled(owners.map((ownerId) => service.set('race', `key-${round}`, ownerId, { ownerId })));
      const winners = owners.filter((_, index) => results[index]!.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(SharedDataOwnershipError);
          expect(result.reason.ownerId).toBe(winner);
        }
      }
      expect(await service.getEntry('race', `key-${round}`)).toMatchObject({ value: winner, ownerId: winner });
    }
  });

  it('lets one owner write its key concurrently without refusing itself', async () => {
    await boot();
    await Promise.all(Array.from({ length: 30 }, (_, index) => service.set('race', 'same', index, { ownerId: 'crm' })));
    expect(await service.getEntry('race', 'same')).toMatchObject({ ownerId: 'crm' });
    expect(await rowCount()).toBe(1);
  });

  it('gives a plugin client that writes as the plugin and stops once the plugin is unloaded', async () => {
    await boot();
    let valid = true;
    const crm = new PluginSharedData(service, 'crm', () => {
      if (!valid) throw new ContextInvalidatedError('crm');
    });
    const analytics = new PluginSharedData(service, 'analytics', () => undefined);

    await crm.set('crm', 'lastSync', 'now', { ttl: 60 });
    await crm.set('crm', 'smuggled', 1, { ownerId: 'analytics' } as never);
    expect(await service.getEntry('crm', 'lastSync')).toMatchObject({ ownerId: 'crm', expiresAt: new Date(START + 60_000).toISOString() });
    expect(await service.getEntry('crm', 'smuggled')).toMatchObject({ ownerId: 'crm' });
    expect(await analytics.get('crm', 'lastSync')).toBe('now');
    expect(await analytics.list('crm')).toEqual(['lastSync', 'smuggled']);
    expect(await analytics.list('crm', { ownerId: 'analytics' })).toEqual([]);
    await expect(analytics.set('crm', 'lastSync', 'mine')).rejects.toThrow('Plugin "analytics" may not overwrite "crm/lastSync" owned by "crm"');
    await expect(analytics.delete('crm', 'lastSync')).rejects.toThrow('Plugin "analytics" may not delete "crm/lastSync" owned by "crm"');
    expect(await crm.delete('crm', 'smuggled')).toBe(true);

    valid = false;
    await expect(crm.set('crm', 'after', 1)).rejects.toThrow(ContextInvalidatedError);
    await expect(crm.get('crm', 'lastSync')).rejects.toThrow('Context of plugin "crm" is no longer valid (plugin was unloaded)');
    await expect(crm.delete('crm', 'lastSync')).rejects.toThrow(ContextInvalidatedError);
    await expect(crm.list('crm')).rejects.toThrow(ContextInvalidatedError);
    expect(await service.list('crm')).toEqual(['lastSync']);
  });

  it('registers the table once when two services share one application', async () => {
    const first = sharedDataTestModule({});
    const second = sharedDataTestModule({ now: () => clock });
    app = await bootApp([TypeOrmModule.forRoot({ ...database.connection, synchronize: true }), PluginModule.forRoot({ plugins: [] }), first, second]);
    await serviceOf(app, first).set('crm', 'k', 1, { ownerId: 'crm' });
    expect(await serviceOf(app, second).get('crm', 'k')).toBe(1);
    expect(app.get(DataSource).entityMetadatas.filter((metadata) => metadata.tableName === 'plugin_shared_data')).toHaveLength(1);
  });

  it('works on a table the host created from the documented DDL', async () => {
    const setup = new DataSource({ ...database.connection });
    await setup.initialize();
    for (const statement of HOST_DDL) await setup.query(statement);
    await setup.destroy();

    await boot({ now: () => clock }, false);
    await service.set('crm', 'k', { v: 1 }, { ownerId: 'crm', ttl: 1 });
    expect(await service.get('crm', 'k')).toEqual({ v: 1 });
    clock += 1_000;
    expect(await service.purgeExpired()).toBe(1);
  });
});

if (!databaseKinds.includes('postgres')) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs the shared data suite on PostgreSQL', () => undefined);
  });
}

describe('shared data without a DataSource', () => {
  let app: INestApplication | undefined;
  afterEach(() => app?.close());

  it('boots, and every method says the application needs TypeORM', async () => {
    const testModule = sharedDataTestModule({});
    app = await bootApp([PluginModule.forRoot({ plugins: [] }), testModule]);
    const service = serviceOf(app, testModule);
    const message = 'Shared data is unavailable: the application has no TypeORM DataSource (import TypeOrmModule.forRoot(...) from @nestjs/typeorm)';
    for (const call of [
      () => service.set('crm', 'k', 1, { ownerId: 'crm' }),
      () => service.get('crm', 'k'),
      () => service.getEntry('crm', 'k'),
      () => service.delete('crm', 'k', 'crm'),
      () => service.list('crm'),
      () => service.purgeExpired(),
    ]) {
      await expect(call()).rejects.toThrow(SharedDataUnavailableError);
      await expect(call()).rejects.toThrow(message);
    }
  });
});
