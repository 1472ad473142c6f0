import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { clusterSkipReason, compileClusterFixtures, stopAllInstances } from '../support/cluster-harness.js';
import { startStateApp } from '../support/state-app.js';

const skip = clusterSkipReason();
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

/**
 * Three instances booting at the same moment against an empty database: every table (the
 * boot plugin's, shared data's, the cluster's) is created exactly once, counted by an event
 * trigger on `CREATE TABLE`, and every instance starts without an error.
 */
describeCluster('cluster schema changes on simultaneous boot', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    await compileClusterFixtures();
    database = await createTestDatabase('postgres');
    client = new pg.Client({ connectionString: (database.connection as { url: string }).url });
    await client.connect();
    await client.query(`
      CREATE TABLE ddl_log (tag text, object text, at timestamptz DEFAULT clock_timestamp());
      CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
      DECLARE command record;
      BEGIN
        FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
          INSERT INTO ddl_log (tag, object) VALUES (command.command_tag, command.object_identity);
        END LOOP;
      END $$;
      CREATE EVENT TRIGGER log_creates ON ddl_command_end EXECUTE FUNCTION log_ddl();`);
  }, 60_000);

  afterAll(async () => {
    await stopAllInstances();
    await client?.end();
    await database?.drop();
  }, 30_000);

  it('creates each plugin table once and boots every instance without an error', async () => {
    const url = (database.connection as { url: string }).url;
    const instances = await Promise.all(['a', 'b', 'c'].map((name) => startStateApp(`schema-${name}`, url)));

    const { rows } = await client.query<{ object: string; count: string }>('SELECT object, count(*) FROM ddl_log GROUP BY object ORDER BY object');
    const created = Object.fromEntries(rows.map((row) => [row.object, Number(row.count)]));
    expect(created).toMatchObject({ 'public.base_items': 1, 'public.plugin_shared_data': 1, 'public.plugin_cluster_desired': 1, 'public.plugin_cluster_nodes': 1 });
    expect(Object.values(created).every((count) => count === 1)).toBe(true);
    for (const instance of instances) expect(instance.output()).not.toMatch(/ERROR|already exists/);
  }, 60_000);
});
