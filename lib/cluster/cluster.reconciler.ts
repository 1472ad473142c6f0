import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cluster } from './cluster.js';
import type { ClusterMember } from './cluster-member.js';
import { CLUSTER, CLUSTER_MEMBER } from './cluster.tokens.js';
import type { ClusterChange } from './cluster-notifier.js';
import { CoalescedTask } from './coalesced-task.js';
import { ClusterRegistrySync } from './cluster-registry.sync.js';

/**
 * Keeps this instance in step with the cluster: reconciles to the desired state on boot, on
 * every wake-up and on every poll (a lost wake-up only delays), writes this node's heartbeat
 * with its plugins' states, and reads the shared registries back. Does nothing without `cluster`.
 */
@Injectable()
export class ClusterReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PluginCluster');
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly reconciling = new CoalescedTask(() => this.reconcileAndBeat());
  private readonly beating = new CoalescedTask(() => this.beat());

  constructor(
    @Inject(CLUSTER_MEMBER) private readonly member: ClusterMember,
    private readonly registrySync: ClusterRegistrySync,
    @Optional() @Inject(CLUSTER) private readonly cluster: Cluster | null = null,
  ) {}

  /** Runs after the boot plugins started (PluginModule's hooks come first), so runtime plugins find their dependencies. */
  async onApplicationBootstrap(): Promise<void> {
    const cluster = this.cluster;
    if (cluster === null) return;
    await this.reconciling.run();
    await this.registrySync.sync();
    await this.listen();
    const { pollIntervalMs, heartbeatIntervalMs, registrySyncMs } = cluster.settings;
    this.every(pollIntervalMs, () => this.poll());
    this.every(heartbeatIntervalMs, () => this.beating.run());
    this.every(registrySyncMs, () => this.registrySync.sync());
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.reconciling.idle();
    await this.cluster?.notifier.close();
  }

  private async poll(): Promise<void> {
    await this.listen();
    // One cheap read when nothing changed; the full desired state only when the revision moved.
    if ((await this.cluster!.store.revision()) !== this.cluster!.reconciledRevision) await this.reconciling.run();
  }

  private async listen(): Promise<void> {
    try {
      await this.cluster!.notifier.listen((change) => this.wake(change));
    } catch (error) {
      this.logger.warn(`Not listening for wake-ups (polling every ${this.cluster!.settings.pollIntervalMs} ms instead): ${(error as Error).message}`);
    }
  }

  private wake(change: ClusterChange): void {
    const task = change === 'plugins' ? this.reconciling.run() : this.registrySync.sync();
    task.catch((error: Error) => this.logger.warn(`Cluster ${change} sync failed: ${error.message}`));
  }

  private async reconcileAndBeat(): Promise<void> {
    await this.member.reconcile();
    await this.beat();
  }

  private async beat(): Promise<void> {
    const cluster = this.cluster!;
    await cluster.store.beat({
      nodeId: cluster.nodeId,
      heartbeatAtMs: Date.now(),
      revision: Math.max(cluster.reconciledRevision, 0),
      plugins: this.member.localPlugins(),
      rates: cluster.publishedRates(),
    });
  }

  /** A failed round (the database away for a moment) is logged; the next one tries again. */
  private every(intervalMs: number, round: () => Promise<void>): void {
    const timer = setInterval(() => round().catch((error: Error) => this.logger.warn(`Cluster round failed: ${error.message}`)), intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
