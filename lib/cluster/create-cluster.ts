import type { DataSource } from 'typeorm';
import { ClusterStoreUnavailableError } from '../errors/cluster.errors.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import { resolveServicesOptions, type PluginServicesOptions } from '../services/services-options.js';
import { Cluster } from './cluster.js';
import { NatsClusterNotifier, PostgresClusterNotifier } from './cluster-notifier.js';
import { ClusterStore } from './cluster.store.js';
import { resolveNodeId } from './node-id.js';

const DEFAULT_POLL_INTERVAL_MS = 30_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
/** Registry state lags the store by at most this; a quarter of `staleAfterMs` when that is shorter. */
const MAX_REGISTRY_SYNC_MS = 1_000;
const STORE_DRIVERS: ReadonlySet<string> = new Set(['postgres', 'better-sqlite3']);

/** What cluster mode reads of `PluginModuleOptions`. */
export interface PluginClusterModeOptions {
  /** Several instances of one application share desired state, registries and leases (docs/cluster.md). Off by default. */
  cluster?: ClusterOptions;
  services?: Pick<PluginServicesOptions, 'staleAfterMs'>;
}

/** The `Cluster` of `forRoot({ cluster })` with its tables in place, or null when cluster mode is off. */
export async function createCluster(options: PluginClusterModeOptions, dataSource: DataSource | null): Promise<Cluster | null> {
  const cluster = options.cluster;
  if (cluster === undefined) return null;
  if (dataSource === null) throw new ClusterStoreUnavailableError('it needs the application TypeORM DataSource (TypeOrmModule.forRoot with PostgreSQL)');
  if (!STORE_DRIVERS.has(dataSource.options.type)) {
    throw new ClusterStoreUnavailableError(`it runs on PostgreSQL (and SQLite for one instance), not on "${dataSource.options.type}"`);
  }
  const store = new ClusterStore(dataSource);
  await store.ensureSchema();
  const notify = cluster.notify ?? 'postgres';
  const notifier = notify === 'postgres' ? new PostgresClusterNotifier(dataSource) : new NatsClusterNotifier(notify);
  const { staleAfterMs } = resolveServicesOptions(options.services);
  return new Cluster(resolveNodeId(cluster), store, notifier, {
    pollIntervalMs: cluster.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    heartbeatIntervalMs: cluster.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    registrySyncMs: Math.min(MAX_REGISTRY_SYNC_MS, Math.max(1, Math.floor(staleAfterMs / 4))),
  });
}
