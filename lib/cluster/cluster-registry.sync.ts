import { Inject, Injectable, Optional } from '@nestjs/common';
import { PluginDependencyRegistry } from '../services/dependencies/plugin-dependency.registry.js';
import { ServiceRegistry } from '../services/registry/service.registry.js';
import { Cluster } from './cluster.js';
import { CLUSTER } from './cluster.tokens.js';
import { CoalescedTask } from './coalesced-task.js';

/**
 * Reads remote registrations, their heartbeats and declared dependencies back from the store
 * into this instance's registries, which the gateway reads in memory on every call. After
 * this instance's own writes, so a sync never drops what was just registered here.
 */
@Injectable()
export class ClusterRegistrySync {
  private readonly syncing = new CoalescedTask(() => this.syncNow());

  constructor(
    private readonly services: ServiceRegistry,
    private readonly dependencies: PluginDependencyRegistry,
    @Optional() @Inject(CLUSTER) private readonly cluster: Cluster | null = null,
  ) {}

  sync(): Promise<void> {
    return this.cluster === null ? Promise.resolve() : this.syncing.run();
  }

  private async syncNow(): Promise<void> {
    const { store } = this.cluster!;
    await this.cluster!.writesSettled();
    const [services, dependencies] = await Promise.all([store.services(), store.dependencies()]);
    this.services.restoreRemote(services);
    this.dependencies.restoreRegistered(dependencies);
  }
}
