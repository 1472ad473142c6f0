import { Inject, Injectable, Optional } from '@nestjs/common';
import { LazyModuleLoader, ModuleRef } from '@nestjs/core';
import { Cluster } from '../cluster/cluster.js';
import { CLUSTER } from '../cluster/cluster.tokens.js';
import type { ClusterMember } from '../cluster/cluster-member.js';
import type { ClusterNodeInfo, ClusterNodePlugin } from '../cluster/node-state.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { PluginNotActiveError, PluginRevertError } from '../errors/index.js';
import { listPluginFiles } from '../host/load-plugin-directory.js';
import { PluginLifecycle } from '../host/plugin-lifecycle.js';
import { PluginRoutes } from '../http/plugin-routes.js';
import { PluginPackages } from '../host/plugin-packages.js';
import { ISOLATION_CHOICES, SANDBOX_MODE, type IsolationChoices } from '../isolation/isolation-choices.js';
import type { SandboxMode } from '../interfaces/isolation-options.interface.js';
import { DEFAULT_SANDBOX_MODE } from '../isolation/sandbox/sandbox-mode.js';
import { TRUSTED_PLUGINS } from '../host/trusted-plugins.js';
import { SCOPE_WIDENING_SERVICES, type ScopeWideningServices } from '../metadata/scope-widening-services.js';
import type { PluginHostOptions } from '../host/plugin-host-options.js';
import type { PluginConfigOptions } from '../metadata/plugin-config-options.js';
import type { PluginInfo } from '../interfaces/plugin-state.interface.js';
import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { toPluginInfo } from '../registry/plugin.registry.js';
import type { ResourceOverrides } from '../resources/resource-overrides.interface.js';
import { validateResourceOverrides } from '../resources/resource-overrides.validator.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { PluginPurger } from '../migrations/plugin-purger.js';
import { PluginClusterSync } from './plugin-cluster-sync.js';
import { PluginInstalls, type InstalledOrigin, type InstalledPluginInfo, type PluginInstallOptions } from './plugin-installs.js';
import { PluginDependents } from './plugin-dependents.js';
import { PluginLoader } from './plugin-loader.js';
import { PluginReplacement } from './plugin-replacement.js';
import { inDependencyOrder, RuntimePluginSources, type PluginSource } from './runtime-plugin-sources.js';

import type { RevertOptions, UninstallOptions, UninstallResult, UnloadOptions } from './plugin-manager-options.js';

/**
 * Loads, unloads and reloads plugins while the application runs. Operations run one at
 * a time, in the order they were asked for; a failed one leaves everything as it was.
 */
@Injectable()
export class PluginManager implements ClusterMember {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clusterSync: PluginClusterSync;
  private readonly sources: RuntimePluginSources;
  private readonly loader: PluginLoader;
  private readonly purger: PluginPurger;
  private readonly replacement: PluginReplacement;
  private readonly dependents: PluginDependents;
  private readonly installs: PluginInstalls;

  constructor(
    private readonly records: PluginRecordStore,
    private readonly lifecycle: PluginLifecycle,
    contexts: PluginContexts,
    lazyModuleLoader: LazyModuleLoader,
    moduleRef: ModuleRef,
    private readonly resources: PluginResources,
    @Inject(TRUSTED_PLUGINS) trustedPlugins: ReadonlySet<string>,
    @Inject(SCOPE_WIDENING_SERVICES) scopeWidening: ScopeWideningServices,
    @Inject(PLUGIN_MODULE_OPTIONS) options: PluginHostOptions & PluginConfigOptions & PluginInstallOptions,
    packages: PluginPackages,
    routes: PluginRoutes,
    /** Cluster mode: changes are written to the desired state all instances reconcile to. */
    @Optional() @Inject(CLUSTER) cluster: Cluster | null = null,
    @Optional() @Inject(ISOLATION_CHOICES) isolationChoices: IsolationChoices = {},
    @Optional() @Inject(SANDBOX_MODE) sandbox: SandboxMode = DEFAULT_SANDBOX_MODE,
  ) {
    this.clusterSync = new PluginClusterSync(cluster, records, packages, (record) => this.installs.originOf(record));
    this.dependents = new PluginDependents(records, (record) => lifecycle.startIndexOf(record));
    this.sources = new RuntimePluginSources(packages, lifecycle, () => ({ isolation: isolationChoices, trustedPlugins, config: options.config, sandbox }));
    this.loader = new PluginLoader(records, lifecycle, contexts, lazyModuleLoader, moduleRef, resources, trustedPlugins, scopeWidening, options, packages, routes);
    this.purger = new PluginPurger(resources);
    this.replacement = new PluginReplacement(lifecycle.migrations, resources, this.loader, {
      stop: (record) => this.unloadNow(record),
      dependentsOf: (record) => this.dependents.active(record),
      restart: (records) => this.restart(records),
    });
    this.installs = new PluginInstalls(options, packages.root, () => ({ isolation: isolationChoices, trustedPlugins, config: options.config, sandbox }), records, this.loader, this.replacement);
  }

  /**
   * Installs `<name>@<range>` from `forRoot({ registry })`, verified before any of its code runs, into `installDir`, and starts it
   * in `'process'` isolation unless trusted; a newer version upgrades the running one. Refused: `PluginInstallError`, nothing left.
   */
  install(spec: string): Promise<InstalledPluginInfo> {
    return this.serialize(async () => {
      const record = await this.installs.install(spec);
      await this.clusterSync.publish([record], true);
      return { ...toPluginInfo(record), origin: this.installs.originOf(record)! };
    });
  }

  /** Where each plugin installed from a registry and running here came from, by plugin name. */
  origins(): Record<string, InstalledOrigin> {
    return this.installs.origins();
  }

  /**
   * Loads a plugin class, a compiled plugin file or an installed npm package (their default
   * export), with full DI, and starts it. A bare package name (`billing`, `@acme/billing`)
   * is a package, resolved from the application's `node_modules`; a string starting with `.`
   * or `/`, with a directory or ending in `.js`/`.mjs`/`.cjs`/`.ts` is a file. `overrides`
   * replace the plugin's resource overrides (from `forRoot` or an earlier call) before it
   * starts; a failed load puts the previous ones back. Its configuration is
   * `forRoot({ config })`'s entry for its name.
   */
  load(fileOrClass: string | PluginClass, overrides?: ResourceOverrides): Promise<PluginInfo> {
    return this.serialize(async () => this.published(await this.loader.loadWith(await this.sources.sourceOf(fileOrClass), overrides), fileOrClass));
  }

  /**
   * Replaces a registered plugin's resource overrides. Raw SQL, topics and buckets use them
   * from the plugin's next call; entity tables keep the names they were registered under
   * until the plugin is loaded again.
   */
  setResourceOverrides(name: string, overrides: ResourceOverrides): void {
    validateResourceOverrides(name, overrides, this.registered(name).metadata);
    this.resources.overrides.set(name, overrides);
  }

  /** Loads every `*.plugin.js` below `directory`, dependencies first; all of them or none. */
  loadFromDirectory(directory: string): Promise<PluginInfo[]> {
    return this.serialize(async () => {
      const sources: PluginSource[] = [];
      for (const file of await listPluginFiles(directory)) sources.push(await this.sources.sourceOf(file));
      const loaded: PluginRecord[] = [];
      try {
        for (const source of inDependencyOrder(sources)) loaded.push(await this.loader.load(source));
      } catch (error) {
        for (const record of loaded.reverse()) await this.unloadNow(record);
        throw error;
      }
      await this.clusterSync.publish(loaded, true);
      return loaded.map(toPluginInfo);
    });
  }

  /** Stops and forgets a plugin; refuses while active plugins require it, unless `cascade`. */
  unload(name: string, { cascade = false }: UnloadOptions = {}): Promise<void> {
    return this.serialize(async () => {
      const record = this.registered(name);
      const dependents = this.dependents.active(record);
      if (dependents.length > 0 && !cascade) this.dependents.refuse(record);
      for (const dependent of dependents) await this.unloadNow(dependent);
      await this.unloadNow(record);
      await this.clusterSync.publish([...dependents, record], false);
    });
  }

  /**
   * Unloads a plugin (refused while active plugins require it, as `unload`) and, with `purge`,
   * then removes its data for good: its tables, sequences and enum types (`<plugin>_…`), its
   * PostgreSQL role, its `plugin_migrations` and shared-data rows, its buckets' objects and its
   * durable topics' streams. Names the host mapped outside the plugin's prefix are left (`kept`).
   * A purge that fails part-way rejects with `PluginPurgeError`, the plugin unloaded; calling
   * `uninstall(name, { purge: true })` again finishes it.
   */
  uninstall(name: string, { purge = false }: UninstallOptions = {}): Promise<UninstallResult> {
    return this.serialize(async () => {
      const record = this.records.get(name);
      const pending = purge ? this.purger.pendingFor(name) : undefined;
      if (record === undefined && pending !== undefined) return { name, purged: await this.purger.purge(pending) };
      const registered = this.registered(name);
      if (this.dependents.active(registered).length > 0) this.dependents.refuse(registered);
      // Planned before the unload: the buckets and topics are those of the overrides in force now.
      const plan = purge ? this.purger.planFor(registered.metadata) : undefined;
      await this.unloadNow(registered);
      await this.installs.remove(registered);
      await this.clusterSync.publish([registered], false);
      return plan === undefined ? { name } : { name, purged: await this.purger.purge(plan) };
    });
  }

  /**
   * Replaces a plugin with a fresh copy: a file is imported again, so changed code takes
   * effect. Its active dependents are restarted against the new instance. If the new copy
   * fails to load, the old one is started again and the error is thrown. A copy of another
   * version is an upgrade (see `upgrade`): migrations, rollback and `PluginUpgradeError`.
   */
  reload(name: string): Promise<PluginInfo> {
    return this.serialize(async () => {
      const reloaded = await this.reloadNow(name);
      await this.clusterSync.publish([reloaded], true);
      return toPluginInfo(reloaded);
    });
  }

  /**
   * Runs another version of a running plugin (a file, a package name or a class, as `load`):
   * drains it, runs the new version's pending migrations and starts it; its active dependents
   * are restarted against it. A version that does not know every applied migration is refused
   * first (`PluginSchemaAheadError`), nothing stopped. If a migration or the new version's
   * `onPluginInit` fails, the migrations it ran are reverted (the failing one's transaction is
   * rolled back, the others run their `down`), the previous version starts again, and the
   * error is `PluginUpgradeError`. Calls made meanwhile fail with `PluginNotActiveError`.
   */
  upgrade(name: string, fileOrClass: string | PluginClass): Promise<PluginInfo> {
    return this.serialize(async () => {
      const record = this.registered(name);
      const next = await this.sources.sourceOf(fileOrClass);
      const upgraded = await this.replacement.replace(record, next);
      return this.published(upgraded, fileOrClass);
    });
  }

  /**
   * Runs the `down` of every applied migration of the plugin after `to`, newest first, each
   * in its own transaction, and forgets them in the ledger. The running version's code holds
   * the `down`s, and it would not fit the older schema: the plugin is drained and unloaded
   * first, and stays unloaded (load the version that fits next). Refused, with nothing
   * changed, while active plugins require it or when `to` is not an applied migration it knows.
   * Returns the reverted migrations' names.
   */
  revert(name: string, { to }: RevertOptions): Promise<string[]> {
    return this.serialize(async () => {
      const record = this.registered(name);
      const dependents = this.dependents.direct(record);
      if (dependents.length > 0) throw new PluginRevertError(name, `required by ${dependents.map((dependent) => dependent.name).join(', ')} (unload them first)`);
      const reverted = await this.replacement.revert(record, to);
      await this.clusterSync.publish([record], false);
      return reverted;
    });
  }

  /**
   * Each instance with its last heartbeat and the state of each plugin on it; an instance
   * that stopped heart-beating is `unreachable`. Without `forRoot({ cluster })`, just this one.
   */
  nodes(): Promise<ClusterNodeInfo[]> {
    return this.clusterSync.nodes();
  }

  /**
   * Cluster mode: brings this instance to the stored desired state (loads, unloads, reloads),
   * in turn with the other operations. A step that fails is reported (`plugin:error`) and
   * shown in `nodes()`; the others still run. Called by `ClusterReconciler`.
   */
  reconcile(): Promise<void> {
    return this.serialize(() =>
      this.clusterSync.reconcile({
        load: async (source) => (!PluginInstalls.isPinned(source) ? this.loader.load(await this.sources.sourceOf(source)) : this.installs.install(source)),
        reload: async (name, source) => {
          const record = this.registered(name);
          // Upgraded elsewhere from another file or package: run that one, not a fresh copy of ours.
          if (source === null || source === this.clusterSync.sourceOf(record)) return this.reloadNow(name);
          if (PluginInstalls.isPinned(source)) return this.installs.install(source);
          return this.replacement.replace(record, await this.sources.sourceOf(source));
        },
        unload: async (name) => {
          const record = this.records.get(name);
          if (record === undefined) return;
          for (const dependent of this.dependents.active(record)) await this.unloadNow(dependent);
          await this.unloadNow(record);
          await this.installs.remove(record);
        },
      }),
    );
  }

  /** This instance's plugins as `nodes()` shows them. */
  localPlugins(): ClusterNodePlugin[] {
    return this.clusterSync.localPlugins();
  }

  /** A load from a package or file is published to the cluster; a class exists only in this process, so its load stays here. */
  private async published(record: PluginRecord, fileOrClass: string | PluginClass): Promise<PluginInfo> {
    const info = toPluginInfo(record);
    if (typeof fileOrClass === 'string') await this.clusterSync.publish([record], true);
    return info;
  }

  private async reloadNow(name: string): Promise<PluginRecord> {
    const record = this.registered(name);
    return this.replacement.replace(record, await this.sources.freshSourceOf(record.origin));
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async unloadNow(record: PluginRecord): Promise<void> {
    await this.lifecycle.stop(record);
    this.records.delete(record);
  }

  private async restart(records: readonly PluginRecord[]): Promise<void> {
    for (const record of records) await this.loader.load({ declaredClass: record.origin.declaredClass, file: record.origin.file });
  }

  private registered(name: string): PluginRecord {
    const record = this.records.get(name);
    if (record === undefined) throw new PluginNotActiveError(name);
    return record;
  }
}
