import pg from 'pg';
import { createTestDatabase } from '../../support/test-databases.js';
import { startInstance, type ClusterInstance } from './cluster-harness.js';

/** Starts one instance of the messaging-app fixture against `databaseUrl`. */
export function startMessagingApp(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ClusterInstance> {
  return startInstance({ entry: 'messaging-app/main.js', name, env: { APP_DB_URL: databaseUrl, ...env } });
}

/** A fresh PostgreSQL database with the journal tables, and a client on it for the suite's checks. */
export interface JournalDatabase {
  readonly url: string;
  readonly client: pg.Client;
  /** Ends the client and drops the database (and its plugin roles). */
  close(): Promise<void>;
}

export async function openJournalDatabase(): Promise<JournalDatabase> {
  const database = await createTestDatabase('postgres');
  const url = (database.connection as { url: string }).url;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await createJournal(client);
  return {
    url,
    client,
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}

/** The fixture's journal tables: made by the suite, before any instance, so no instance races to create them. */
export async function createJournal(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE TABLE journal_runs (id serial PRIMARY KEY, node text NOT NULL, started_at bigint NOT NULL, ended_at bigint);
    CREATE TABLE journal_handled (node text NOT NULL, message_id text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());`);
}

export interface TaskRun {
  node: string;
  startedAt: number;
  endedAt: number | null;
}

export async function taskRuns(client: pg.Client): Promise<TaskRun[]> {
  const { rows } = await client.query<{ node: string; started_at: string; ended_at: string | null }>(
    'SELECT node, started_at, ended_at FROM journal_runs ORDER BY started_at',
  );
  return rows.map((row) => ({ node: row.node, startedAt: Number(row.started_at), endedAt: row.ended_at === null ? null : Number(row.ended_at) }));
}

/** Runs that started before the previous one ended (a run cut off by a kill ends at `killedAt`). */
export function overlappingRuns(runs: TaskRun[], killedAt = Number.POSITIVE_INFINITY): number {
  return runs.filter((run, index) => index > 0 && run.startedAt < (runs[index - 1]!.endedAt ?? killedAt)).length;
}

/** How many times each message id was handled, over every instance. */
export async function handledCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ message_id: string; count: string }>('SELECT message_id, count(*) FROM journal_handled GROUP BY message_id');
  return new Map(rows.map((row) => [row.message_id, Number(row.count)]));
}
