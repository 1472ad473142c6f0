import { Module } from '@nestjs/common';
import { PLUGIN_DATA_SOURCE, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { CLUSTER } from './cluster.tokens.js';
import { ClusterReconciler } from './cluster.reconciler.js';
import { ClusterRegistrySync } from './cluster-registry.sync.js';
import { createCluster } from './create-cluster.js';

/**
 * Cluster mode's providers, imported by `PluginModule` whatever its options (they may come
 * from `forRootAsync`); each does nothing when `cluster` is not set. A module of its own, below
 * PluginModule: its bootstrap hook runs after the boot plugins started.
 */
@Module({
  providers: [{ provide: CLUSTER, useFactory: createCluster, inject: [PLUGIN_MODULE_OPTIONS, PLUGIN_DATA_SOURCE] }, ClusterRegistrySync, ClusterReconciler],
  exports: [CLUSTER],
})
export class ClusterModule {}
