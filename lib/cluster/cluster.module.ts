import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PLUGIN_DATA_SOURCE, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { CLUSTER } from './cluster.tokens.js';
import { ClusterReconciler } from './cluster.reconciler.js';
import { ClusterRegistrySync } from './cluster-registry.sync.js';
import type { Cluster } from './cluster.js';
import type { PluginClusterModeOptions } from './create-cluster.js';
import { DEPENDENCY_PUBLISHER } from '../services/dependencies/dependency-publisher.js';
import { SERVICE_PUBLISHER } from '../services/registry/service-publisher.js';

/**
 * Cluster mode's providers, imported by `PluginModule` whatever its options (they may come
 * from `forRootAsync`); each does nothing when `cluster` is not set. A module of its own, below
 * PluginModule: its bootstrap hook runs after the boot plugins started.
 */
@Module({
  providers: [
    { provide: CLUSTER, useFactory: clusterOf, inject: [PLUGIN_MODULE_OPTIONS, PLUGIN_DATA_SOURCE] },
    // The registries publish through these narrow interfaces, and know nothing of the cluster.
    { provide: SERVICE_PUBLISHER, useExisting: CLUSTER },
    { provide: DEPENDENCY_PUBLISHER, useExisting: CLUSTER },
    ClusterRegistrySync,
    ClusterReconciler,
  ],
  exports: [CLUSTER, SERVICE_PUBLISHER, DEPENDENCY_PUBLISHER],
})
export class ClusterModule {}

/** The store, notifier and cluster code load only in cluster mode: a single instance never pays for them. */
async function clusterOf(options: PluginClusterModeOptions, dataSource: DataSource | null): Promise<Cluster | null> {
  if (options.cluster === undefined) return null;
  const { createCluster } = await import('./create-cluster.js');
  return createCluster(options, dataSource);
}
