import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { PluginEntityTables } from '../../../lib/resources/tables/plugin-entity-tables.js';
import type { LeaseStore } from '../../../lib/tasks/lease-store.interface.js';
import { MemoryLeaseStore } from '../../../lib/tasks/memory-lease-store.js';
import { registerTaskLeaseStore } from '../../../lib/tasks/task-lease.registration.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/test-databases.js';

/**
 * One contract for every lease store: in memory (with a clock the test moves) and in each
 * supported database (with the database's clock, so expiry takes real, short, waits).
 */
interface StoreUnderTest {
  store: LeaseStore;
  /** lets `ms` pass for the store */
  elapse(ms: number): Promise<void>;
}

const LEASE_MS = 400;

const memory = (): Promise<StoreUnderTest> => {
  let now = 1_000_000;
  return Promise.resolve({ store: new MemoryLeaseStore(() => now), elapse: async (ms) => void (now += ms) });
};

const stores: [string, () => Promise<StoreUnderTest & { close?: () => Promise<void> }>][] = [
  ['memory', memory],
  ...databaseKinds.map((kind): [string, () => Promise<StoreUnderTest & { close: () => Promise<void> }>] => [
    kind,
    async () => {
      const database: TestDatabase = await createTestDatabase(kind);
      const dataSource = await new DataSource({ ...database.connection, synchronize: true }).initialize();
      const store = await registerTaskLeaseStore(new PluginEntityTables(dataSource));
      return {
        store,
        elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        close: async () => {
          await dataSource.destroy();
          await database.drop();
        },
      };
    },
  ]),
];

describe.each(stores)('lease store (%s)', (_name, create) => {
  let subject: StoreUnderTest & { close?: () => Promise<void> };
  let store: LeaseStore;
  let key: string;
  let serial = 0;

  beforeAll(async () => {
    subject = await create();
    store = subject.store;
  });
  afterAll(() => subject.close?.());
  beforeEach(() => (key = `plugin-a/task-${++serial}`));

  it('grants a free lease, due at once, and refuses it to another holder until it expires', async () => {
    expect(await store.claim(key, 'node-a', LEASE_MS)).toEqual({ held: true, dueInMs: expect.any(Number) });
    expect(((await store.claim(key, 'node-a', LEASE_MS)) as { dueInMs: number }).dueInMs).toBeLessThanOrEqual(0);
    const refused = await store.claim(key, 'node-b', LEASE_MS);
    expect(refused.held).toBe(false);
    expect((refused as { retryInMs: number }).retryInMs).toBeGreaterThan(0);
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(LEASE_MS);
  });

  it('hands an expired lease to the next holder; the old one can then neither renew nor begin a run', async () => {
    await store.claim(key, 'node-a', LEASE_MS);
    await subject.elapse(LEASE_MS + 50);
    expect((await store.claim(key, 'node-b', LEASE_MS)).held).toBe(true);
    expect(await store.renew(key, 'node-a', LEASE_MS)).toBe(false);
    expect(await store.beginRun(key, 'node-a', LEASE_MS, 1000)).toBe(false);
    expect((await store.claim(key, 'node-a', LEASE_MS)).held).toBe(false);
  });

  it('renewal keeps the lease past its first length; an expired lease is not renewed, even when nobody took it', async () => {
    await store.claim(key, 'node-a', LEASE_MS);
    await subject.elapse(LEASE_MS / 2);
    expect(await store.renew(key, 'node-a', LEASE_MS)).toBe(true);
    await subject.elapse(LEASE_MS / 2 + 50);
    expect((await store.claim(key, 'node-b', LEASE_MS)).held).toBe(false);
    await subject.elapse(LEASE_MS);
    expect(await store.renew(key, 'node-a', LEASE_MS)).toBe(false);
  });

  it('beginRun sets the next due time, which a new holder inherits', async () => {
    await store.claim(key, 'node-a', LEASE_MS);
    expect(await store.beginRun(key, 'node-a', LEASE_MS, 60_000)).toBe(true);
    await store.release(key, 'node-a');
    const taken = await store.claim(key, 'node-b', LEASE_MS);
    expect(taken.held).toBe(true);
    expect((taken as { dueInMs: number }).dueInMs).toBeGreaterThan(50_000);
  });

  it('release by another holder changes nothing', async () => {
    await store.claim(key, 'node-a', LEASE_MS);
    await store.release(key, 'node-b');
    expect((await store.claim(key, 'node-b', LEASE_MS)).held).toBe(false);
  });

  it('of holders claiming at once, exactly one gets the lease', async () => {
    const claims = await Promise.all(['n1', 'n2', 'n3', 'n4', 'n5'].map((holder) => store.claim(key, holder, LEASE_MS)));
    expect(claims.filter((claim) => claim.held)).toHaveLength(1);
  });
});
