import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PLUGIN_DATA_SOURCE, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { CLUSTER } from './cluster.tokens.js';
import { ClusterReconciler } from './cluster.reconciler.js';
import { ClusterRegistrySync } from './cluster-registry.sync.js';
import type { Cluster } from './cluster.js';
import type { PluginClusterModeOptions } from './create-cluster.js';
import { REGISTRY_PUBLISHER } from '../services/registry-publisher.js';

/**
 * Cluster mode's providers, imported by `PluginModule` whatever its options (they may come
 * from `forRootAsync`); each does nothing when `cluster` is not set. A module of its own, below
 * PluginModule: its bootstrap hook runs after the boot plugins started.
 */
@Module({
  providers: [
    { provide: CLUSTER, useFactory: clusterOf, inject: [PLUGIN_MODULE_OPTIONS, PLUGIN_DATA_SOURCE] },
    // The registries publish through this narrow interface, and know nothing of the cluster.
    { provide: REGISTRY_PUBLISHER, useExisting: CLUSTER },
    ClusterRegistrySync,
    ClusterReconciler,
  ],
  exports: [CLUSTER, REGISTRY_PUBLISHER],
})
export class ClusterModule {}

/** The store, notifier and cluster code load only in cluster mode: a single instance never pays for them. */
async function clusterOf(options: PluginClusterModeOptions, dataSource: DataSource | null): Promise<Cluster | null> {
  if (options.cluster === undefined) return null;
  const { createCluster } = await import('./create-cluster.js');
  return createCluster(options, dataSource);
}
