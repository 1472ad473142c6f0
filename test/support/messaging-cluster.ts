import type pg from 'pg';
import { compileClusterFixtures, stopAllInstances, type ClusterInstance } from '../cluster/support/cluster-harness.js';
import { openJournalDatabase, startMessagingApp, type JournalDatabase } from '../cluster/support/messaging-app.js';

/** Three instances of the messaging app sharing a fresh journal database; set once the suite's `beforeAll` ran. */
export interface MessagingCluster {
  readonly journal: JournalDatabase;
  readonly client: pg.Client;
  readonly instances: ClusterInstance[];
}

/**
 * The set-up of the task and topic cluster suites: before all, the fixtures compiled, the
 * journal opened and instances `<prefix>-a`, `-b`, `-c` started with `env`; after all, the
 * instances stopped, the journal dropped, then `afterStop` (a server the instances used).
 */
export function useMessagingCluster(prefix: string, env: () => Record<string, string>, afterStop?: () => Promise<void>): MessagingCluster {
  const cluster = {} as { journal: JournalDatabase; client: pg.Client; instances: ClusterInstance[] };

  beforeAll(async () => {
    await compileClusterFixtures();
    cluster.journal = await openJournalDatabase();
    cluster.client = cluster.journal.client;
    const url = cluster.journal.url;
    cluster.instances = await Promise.all(['a', 'b', 'c'].map((name) => startMessagingApp(`${prefix}-${name}`, url, env())));
  }, 60_000);

  afterAll(async () => {
    await stopAllInstances();
    await cluster.journal?.close();
    await afterStop?.();
  }, 30_000);

  return cluster;
}
