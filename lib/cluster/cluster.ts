import { Logger } from '@nestjs/common';
import type { DependencyRegistration } from '../services/dependencies/service-dependency.types.js';
import type { RemoteService } from '../services/registry/remote-service.js';
import type { DependencyPublisher } from '../services/dependencies/dependency-publisher.js';
import type { ServicePublisher } from '../services/registry/service-publisher.js';
import type { ClusterNotifier } from './cluster-notifier.js';
import type { ClusterStore, DesiredChange } from './cluster.store.js';
import type { PluginWindowTotals } from '../observability/metrics/rate-window.js';
import { nodeStatusAt, type ClusterNodeInfo, type ClusterNodePlugin } from './node-state.js';

export interface ClusterSettings {
  pollIntervalMs: number;
  heartbeatIntervalMs: number;
  /** how often remote registrations and heartbeats are read back from the store */
  registrySyncMs: number;
}

/**
 * This instance's membership of the cluster: its id, the store, the wake-ups, and what it
 * applied of the desired state. Plain state and store calls; the timers live in `ClusterReconciler`.
 * It publishes this instance's registry writes to the store for the others.
 */
export class Cluster implements ServicePublisher, DependencyPublisher {
  private readonly logger = new Logger('PluginCluster');
  /** the revision of each desired-state line this instance acted on */
  readonly applied = new Map<string, number>();
  /** why the last change to a plugin failed here, by plugin name (error codes: no paths) */
  readonly failures = new Map<string, string>();
  /** the desired-state revision of the last complete reconcile; -1 before the first */
  reconciledRevision = -1;
  /** Registry writes, in the order they were made here: a heartbeat never overtakes its registration. */
  private writes: Promise<void> = Promise.resolve();
  /** Where each heartbeat takes this instance's recent calls from (the console's rate window); none without the console. */
  private ratesSource: () => PluginWindowTotals[] = () => [];

  constructor(
    readonly nodeId: string,
    readonly store: ClusterStore,
    readonly notifier: ClusterNotifier,
    readonly settings: ClusterSettings,
  ) {}

  /** The console hands its rate window here, so that the other instances' consoles can show this one's rates and sum them. */
  publishRates(source: () => PluginWindowTotals[]): void {
    this.ratesSource = source;
  }

  /** What the next heartbeat carries: busy plugins only, so an idle instance publishes nothing. */
  publishedRates(): PluginWindowTotals[] {
    return this.ratesSource().filter((totals) => totals.calls > 0);
  }

  /** Writes a change made on this instance (it already runs here) and wakes the others. */
  async publish(changes: readonly DesiredChange[]): Promise<void> {
    if (changes.length === 0) return;
    const revision = await this.store.writeDesired(changes);
    for (const { name } of changes) {
      this.applied.set(name, revision);
      this.failures.delete(name);
    }
    this.wakeOthers('plugins');
  }

  /** A lost wake-up only delays the others until their next poll: logged, never thrown at the caller. */
  wakeOthers(change: 'plugins' | 'registry'): void {
    this.notifier.notify(change).catch((error: Error) => this.logger.warn(`Wake-up after a ${change} change not sent: ${error.message}`));
  }

  /** Stores a remote registration made here (the registry API answers at once; the row follows in order). */
  recordService(service: RemoteService): void {
    this.write('registry', () => this.store.registerService(service.id, service.tenantId, service.registration, service.registeredAtMs).then(() => undefined));
  }

  recordDeregistration(tenantId: string | undefined, pluginId: string, serviceName: string): void {
    this.write('registry', () => this.store.deregisterService(tenantId, pluginId, serviceName));
  }

  /** Heartbeats wake no one: the others read them back on their registry sync. */
  recordHeartbeat(serviceId: string, heartbeatAtMs: number): void {
    this.write(undefined, () => this.store.heartbeat(serviceId, heartbeatAtMs));
  }

  recordDependencies(tenantId: string | undefined, registrations: readonly DependencyRegistration[]): void {
    this.write('registry', () => this.store.registerDependencies(tenantId, registrations));
  }

  /** Resolves once every registry write made so far reached the store (or failed, and was logged). */
  writesSettled(): Promise<void> {
    return this.writes;
  }

  private write(wake: 'registry' | undefined, statement: () => Promise<void>): void {
    this.writes = this.writes
      .then(statement)
      .then(() => {
        if (wake !== undefined) this.wakeOthers(wake);
      })
      .catch((error: Error) => this.logger.warn(`Registry change not stored (the next registration or heartbeat stores it): ${error.message}`));
  }

  /** Every instance that ever heart-beat, this one with its live state rather than its last beat. */
  async nodes(localPlugins: ClusterNodePlugin[], nowMs: number): Promise<ClusterNodeInfo[]> {
    const stored = await this.store.nodes();
    const nodes = stored
      .filter((node) => node.nodeId !== this.nodeId)
      .map(
        (node): ClusterNodeInfo => ({
          nodeId: node.nodeId,
          lastHeartbeatAt: new Date(node.heartbeatAtMs).toISOString(),
          status: nodeStatusAt(node.heartbeatAtMs, nowMs, this.settings.heartbeatIntervalMs),
          self: false,
          revision: node.revision,
          plugins: node.plugins,
        }),
      );
    nodes.push({
      nodeId: this.nodeId,
      lastHeartbeatAt: new Date(nowMs).toISOString(),
      status: 'alive',
      self: true,
      revision: Math.max(this.reconciledRevision, 0),
      plugins: localPlugins,
    });
    return nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }
}
