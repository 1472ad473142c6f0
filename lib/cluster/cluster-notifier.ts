import type { DataSource } from 'typeorm';
import type { ClusterNatsConnection } from '../interfaces/cluster-options.interface.js';

/** What changed, so a woken instance re-reads only that part of the store. */
export type ClusterChange = 'plugins' | 'registry';

/**
 * Wakes the other instances after a change. Only a hint: a lost or duplicated wake-up only
 * delays or repeats a reconcile, because each instance re-reads the tables.
 */
export interface ClusterNotifier {
  notify(change: ClusterChange): Promise<void>;
  /** Starts listening; `onWake` runs for every change any instance (this one included) announces. */
  listen(onWake: (change: ClusterChange) => void): Promise<void>;
  close(): Promise<void>;
}

/** The NATS subject and PostgreSQL channel wake-ups travel on. */
export const CLUSTER_WAKE_CHANNEL = 'nestjs_plugins_cluster';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function asChange(text: string): ClusterChange | undefined {
  return text === 'plugins' || text === 'registry' ? text : undefined;
}

/** Wake-ups as NATS messages on the application's connection (core NATS: at most once is enough for a hint). */
export class NatsClusterNotifier implements ClusterNotifier {
  private subscription?: { unsubscribe(): void };

  constructor(private readonly connection: ClusterNatsConnection) {}

  async notify(change: ClusterChange): Promise<void> {
    this.connection.publish(CLUSTER_WAKE_CHANNEL, encoder.encode(change));
  }

  async listen(onWake: (change: ClusterChange) => void): Promise<void> {
    this.subscription = this.connection.subscribe(CLUSTER_WAKE_CHANNEL, {
      callback: (error, message) => {
        const change = error === null ? asChange(decoder.decode((message as { data: Uint8Array }).data)) : undefined;
        if (change !== undefined) onWake(change);
      },
    });
  }

  async close(): Promise<void> {
    this.subscription?.unsubscribe();
  }
}

interface PgClientLike {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: () => void): void;
  end(): Promise<void>;
}

/**
 * Wake-ups with PostgreSQL `NOTIFY`, heard on a dedicated `pg` client (`LISTEN` holds its
 * connection, so not one of the pool's). A dropped connection is opened again on the next
 * `listen`; meanwhile the poll keeps instances converging. On SQLite (one instance) it does nothing.
 */
export class PostgresClusterNotifier implements ClusterNotifier {
  private client?: PgClientLike;
  private onWake?: (change: ClusterChange) => void;

  constructor(private readonly dataSource: DataSource) {}

  async notify(change: ClusterChange): Promise<void> {
    if (this.dataSource.options.type !== 'postgres') return;
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CLUSTER_WAKE_CHANNEL, change]);
  }

  /** Idempotent while the connection lives: the reconciler calls it on every poll to heal a lost one. */
  async listen(onWake: (change: ClusterChange) => void): Promise<void> {
    this.onWake = onWake;
    if (this.dataSource.options.type !== 'postgres' || this.client !== undefined) return;
    // TypeORM's postgres driver holds the `pg` module it loaded: no import of our own.
    const driver = this.dataSource.driver as unknown as { postgres: { Client: new (options: object) => PgClientLike }; options: Record<string, unknown> };
    const { url, host, port, username, password, database, ssl } = driver.options as Record<string, any>;
    const client = new driver.postgres.Client(url !== undefined ? { connectionString: url, ssl } : { host, port, user: username, password, database, ssl });
    const forget = () => {
      if (this.client === client) this.client = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    client.on('notification', (message) => {
      const change = message.channel === CLUSTER_WAKE_CHANNEL ? asChange(message.payload ?? '') : undefined;
      if (change !== undefined) this.onWake?.(change);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CLUSTER_WAKE_CHANNEL}`);
    } catch (error) {
      forget();
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.onWake = undefined;
    await client?.end().catch(() => undefined);
  }
}
