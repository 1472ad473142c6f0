import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { PluginModule, SharedDataService } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { POSTGRES_SKIPPED, PG_URL, createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

const describePostgres = PG_URL ? describe : describe.skip;
if (!PG_URL) it(POSTGRES_SKIPPED, () => undefined);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In cluster mode the shared-data purge is a global task: one instance purges at a time, under a lease row. */
describePostgres('shared-data purge in cluster mode', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    client = new pg.Client({ connectionString: (database.connection as { url: string }).url });
    await client.connect();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await client?.end();
    await database?.drop();
  });

  const boot = async (nodeId: string) => {
    const app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ sharedData: { purgeIntervalMs: 100 }, cluster: { nodeId } }),
    ]);
    apps.push(app);
    return app;
  };

  it('runs on one of two instances under the lease, and deletes expired rows', async () => {
    const first = await boot('purge-a');
    await boot('purge-b');
    await first.get(SharedDataService).set('ns', 'short', 1, { ownerId: 'host', ttl: 0.05 });
    await first.get(SharedDataService).set('ns', 'long', 1, { ownerId: 'host' });
    await sleep(400);

    const { rows: leases } = await client.query<{ task_key: string; holder: string }>('SELECT task_key, holder FROM plugin_task_leases');
    expect(leases).toHaveLength(1);
    expect(leases[0]!.task_key).toBe('@nestjs-plugins/shared-data-purge');
    expect(leases[0]!.holder).toMatch(/^purge-[ab]#/);
    const { rows } = await client.query<{ key: string }>('SELECT key FROM plugin_shared_data ORDER BY key');
    expect(rows.map((row) => row.key)).toEqual(['long']);
  });
});
