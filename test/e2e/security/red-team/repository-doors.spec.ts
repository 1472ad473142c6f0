import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { compiledFixture, loadCompiledLibrary, type CompiledLibrary } from '../../isolation/support/isolation-harness.js';
import { PG_URL, POSTGRES_SKIPPED, createTestDatabase, type TestDatabase } from '../../../support/test-databases.js';

/**
 * SPEC §11 on PostgreSQL: a plugin's repositories run under its role, so SQL its entity carries
 * (a column default reading a host table) is refused by PostgreSQL, from every mode. Judged by
 * effects: the host's canary never reaches the plugin nor the plugin's table.
 */
const CANARY = 'cnry-host-account-5e0b';

if (!PG_URL) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('refuses a crafted entity’s SQL by the plugin role', () => undefined);
  });
} else {
  describe.each(['inline', 'thread', 'process'] as const)('a crafted entity in mode %s on PostgreSQL', (mode) => {
    let lib: CompiledLibrary;
    let app: INestApplication;
    let database: TestDatabase;
    let host: DataSource;

    beforeAll(async () => {
      lib = await loadCompiledLibrary();
      database = await createTestDatabase('postgres');
      const moduleRef = await Test.createTestingModule({
        imports: [
          TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
          EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
          lib.PluginModule.forRoot({ pluginsDir: compiledFixture('crafted-entity'), isolation: { 'crafted-entity': mode } }),
        ],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      host = app.get(DataSource);
      await host.query(`CREATE TABLE accounts (id serial PRIMARY KEY, owner text)`);
      await host.query(`INSERT INTO accounts (owner) VALUES ($1)`, [CANARY]);
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await database?.drop();
    });

    it('refuses the INSERT whose default reads a host table, and nothing of the host reaches the plugin', async () => {
      const outcome: { value?: unknown; error?: Error } = await Promise.resolve((app.get(lib.PluginRegistry) as any).call('crafted-entity', 'stash')).then(
        (value: unknown) => ({ value }),
        (error: Error) => ({ error }),
      );
      expect(JSON.stringify(outcome.value ?? null)).not.toContain(CANARY);
      expect(outcome.error).toBeInstanceOf(lib.TableAccessDeniedError);
      expect(outcome.error?.message).toBe('Plugin "crafted-entity" may not access table "accounts" (allowed: loot)');
      expect(await host.query(`SELECT count(*)::int AS n FROM "crafted-entity_loot"`)).toEqual([{ n: 0 }]);
      expect(await host.query(`SELECT owner FROM accounts`)).toEqual([{ owner: CANARY }]);
    }, 60_000);
  });
}
