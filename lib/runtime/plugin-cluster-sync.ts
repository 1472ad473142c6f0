import type { Cluster } from '../cluster/cluster.js';
import type { DesiredChange } from '../cluster/cluster.store.js';
import { planReconcile, type DesiredState, type ReconcileStep } from '../cluster/desired-state.js';
import { resolveNodeId } from '../cluster/node-id.js';
import type { ClusterNodeInfo, ClusterNodePlugin } from '../cluster/node-state.js';
import type { PluginPackages } from '../host/plugin-packages.js';
import { pinnedSource, type InstalledOrigin } from '../install/installed-origin.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';

/** The manager's operations a reconcile step runs; the manager runs the whole reconcile in its queue. */
export interface ReconcileOperations {
  /** loads the plugin from a stored source (a package name or a file) */
  load(source: string): Promise<unknown>;
  /** runs a fresh copy of the plugin, from `source` when the desired line names another one than it came from (an upgrade elsewhere) */
  reload(name: string, source: string | null): Promise<unknown>;
  /** unloads the plugin and its active dependents; nothing when it is not here */
  unload(name: string): Promise<void>;
}

/**
 * The manager's side of cluster mode: writes the changes made here to the desired state,
 * brings this instance to the stored one, and reports its plugins. Does nothing without `cluster`.
 */
export class PluginClusterSync {
  constructor(
    private readonly cluster: Cluster | null,
    private readonly records: PluginRecordStore,
    private readonly packages: PluginPackages,
    /** where a registry-installed plugin came from: the desired state pins its exact tarball */
    private readonly installedOrigin: (record: PluginRecord) => InstalledOrigin | undefined = () => undefined,
  ) {}

  /** See `PluginManager.nodes()`. */
  async nodes(): Promise<ClusterNodeInfo[]> {
    const nowMs = Date.now();
    if (this.cluster === null) {
      return [{ nodeId: resolveNodeId(undefined), lastHeartbeatAt: new Date(nowMs).toISOString(), status: 'alive', self: true, revision: 0, plugins: this.localPlugins() }];
    }
    return this.cluster.nodes(this.localPlugins(), nowMs);
  }

  /** A step that fails is recorded (shown in `nodes()`); the others still run. */
  async reconcile(operations: ReconcileOperations): Promise<void> {
    const cluster = this.cluster;
    if (cluster === null) return;
    const desired = await cluster.store.desiredState();
    const running = new Set([...this.records.values()].filter((record) => record.state === 'active').map((record) => record.name));
    for (const step of planReconcile(desired, running, cluster.applied, cluster.reconciledRevision < 0)) {
      try {
        await this.apply(step, operations, desired);
        cluster.failures.delete(step.name);
      } catch (error) {
        cluster.failures.set(step.name, (error as { code?: string }).code ?? (error as Error).name);
      }
      cluster.applied.set(step.name, step.revision);
    }
    cluster.reconciledRevision = desired.revision;
  }

  /** This instance's plugins as `nodes()` shows them. */
  localPlugins(): ClusterNodePlugin[] {
    return [...this.records.values()].map((record) => {
      const error = this.cluster?.failures.get(record.name) ?? record.error?.name;
      const integrity = this.installedOrigin(record)?.integrity;
      return { name: record.name, version: record.metadata.version, state: record.state, ...(error === undefined ? {} : { error }), ...(integrity === undefined ? {} : { integrity }) };
    });
  }

  /** Writes plugins loaded or unloaded here to the desired state the other instances reconcile to. */
  async publish(records: readonly PluginRecord[], loaded: boolean): Promise<void> {
    await this.cluster?.publish(records.map((record) => this.desiredChange(record, loaded)));
  }

  private async apply(step: ReconcileStep, operations: ReconcileOperations, desired: DesiredState): Promise<void> {
    if (step.kind === 'load') await operations.load(step.source);
    else if (step.kind === 'reload') await operations.reload(step.name, desired.plugins.find((line) => line.name === step.name)?.source ?? null);
    else if (step.kind === 'unload') await operations.unload(step.name);
  }

  /** Where another instance loads this plugin from: its package, its file, or nowhere (a class). */
  private desiredChange(record: PluginRecord, loaded: boolean): DesiredChange {
    return { name: record.name, loaded, source: this.sourceOf(record), ...(loaded ? { version: record.metadata.version } : {}) };
  }

  /** Where a running plugin came from, as the desired state writes it. */
  sourceOf(record: PluginRecord): string | null {
    const { declaredClass, file } = record.origin;
    const installed = this.installedOrigin(record);
    return installed === undefined ? (this.packages.packageOf(declaredClass) ?? file ?? null) : pinnedSource(installed);
  }
}
