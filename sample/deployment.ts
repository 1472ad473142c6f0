import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { ClusterNatsConnection, PluginModuleOptions } from 'nestjs-plugins';

/**
 * How the sample runs, from the environment. Alone (the default): a SQLite file. As one of
 * several instances: `DATABASE_URL` names the PostgreSQL database they share, which turns on
 * cluster mode; `NATS_URL` adds wake-ups and topics over NATS (else PostgreSQL LISTEN/NOTIFY
 * wakes the instances and topics stay in each process); `NODE_ID` names the instance.
 */
const env = process.env;

export function databaseOptions(): TypeOrmModuleOptions {
  // No `synchronize`: the plugins' migrations create and change their tables (a renamed column keeps its data).
  if (env.DATABASE_URL !== undefined) return { type: 'postgres', url: env.DATABASE_URL };
  return {
    type: 'better-sqlite3',
    database: env.DATABASE_PATH ?? 'data/app.sqlite',
    // WAL: a plugin statement running on the second, killable connection never makes the host's writes wait.
    enableWAL: true,
  };
}

/** PluginModule's options that depend on the deployment: `cluster` and the topic transport. */
export async function deploymentOptions(): Promise<Pick<PluginModuleOptions, 'cluster' | 'topicTransport'>> {
  if (env.DATABASE_URL === undefined) return {};
  if (env.NATS_URL === undefined) return { cluster: { nodeId: env.NODE_ID, notify: 'postgres' } };
  // nats and the NATS transport are loaded only here: a single instance never needs them.
  const [{ connect }, { NatsTopicTransport }] = await Promise.all([import('nats'), import('nestjs-plugins/nats')]);
  const connection = await connect({ servers: env.NATS_URL, name: env.NODE_ID });
  return {
    cluster: { nodeId: env.NODE_ID, notify: connection as unknown as ClusterNatsConnection },
    topicTransport: new NatsTopicTransport(connection),
  };
}
