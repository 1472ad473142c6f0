import { Inject, Injectable, Optional } from '@nestjs/common';
import { LazyModuleLoader, ModuleRef } from '@nestjs/core';
import { resolve } from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import { CLUSTER } from '../cluster/cluster.tokens.js';
import type { ClusterMember } from '../cluster/cluster-member.js';
import type { ClusterNodeInfo, ClusterNodePlugin } from '../cluster/node-state.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { DuplicatePluginError, PluginHasDependentsError, PluginLoadError, PluginNotActiveError, PluginResolutionError } from '../errors/index.js';
import { analyzePluginGraph } from '../graph/resolve-plugin-order.js';
import type { NestModuleRef } from '../host/find-plugin-modules.js';
import { importPluginClass, listPluginFiles } from '../host/load-plugin-directory.js';
import { PluginLifecycle } from '../host/plugin-lifecycle.js';
import { isPackageName } from '../host/plugin-package-name.js';
import { PluginPackages } from '../host/plugin-packages.js';
import type { PluginSourceRules } from '../host/plugin-source.js';
import { ISOLATION_CHOICES, SANDBOX_MODE, type IsolationChoices } from '../isolation/isolation-choices.js';
import { DEFAULT_SANDBOX_MODE, type SandboxMode } from '../isolation/sandbox/sandbox-mode.js';
import { TRUSTED_PLUGINS, assertScopedDatabaseAccess } from '../host/trusted-plugins.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginModuleOptions } from '../interfaces/plugin-module-options.interface.js';
import type { PluginInfo } from '../interfaces/plugin-state.interface.js';
import { getPluginMetadata, isPluginClass, linkDependencyModules, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { validatePluginMetadata } from '../metadata/plugin-metadata.validator.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { toPluginInfo } from '../registry/plugin.registry.js';
import type { ResourceOverrides } from '../resources/resource-overrides.interface.js';
import { validateResourceOverrides } from '../resources/resource-overrides.validator.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { freshPluginClass } from './fresh-plugin-class.js';
import { containerOf, runModulesHook } from './nest-modules.js';
import { PluginClusterSync } from './plugin-cluster-sync.js';

export interface UnloadOptions {
  /** unload active dependents first (in reverse dependency order) instead of refusing */
  cascade?: boolean;
}

/** A plugin to load: its class, and the file it came from if any. */
interface PluginSource {
  readonly declaredClass: PluginClass;
  readonly file?: string;
}

/**
 * Loads, unloads and reloads plugins while the application runs. Operations run one at
 * a time, in the order they were asked for; a failed one leaves everything as it was.
 */
@Injectable()
export class PluginManager implements ClusterMember {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clusterSync: PluginClusterSync;

  constructor(
    private readonly records: PluginRecordStore,
    private readonly lifecycle: PluginLifecycle,
    private readonly contexts: PluginContexts,
    private readonly lazyModuleLoader: LazyModuleLoader,
    private readonly moduleRef: ModuleRef,
    private readonly resources: PluginResources,
    @Inject(TRUSTED_PLUGINS) private readonly trustedPlugins: ReadonlySet<string>,
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginModuleOptions,
    private readonly packages: PluginPackages,
    /** Cluster mode: changes are written to the desired state all instances reconcile to. */
    @Optional() @Inject(CLUSTER) cluster: Cluster | null = null,
    @Optional() @Inject(ISOLATION_CHOICES) private readonly isolationChoices: IsolationChoices = {},
    @Optional() @Inject(SANDBOX_MODE) private readonly sandbox: SandboxMode = DEFAULT_SANDBOX_MODE,
  ) {
    this.clusterSync = new PluginClusterSync(cluster, records, packages);
  }

  /** How plugin files and packages are read: a `'process'` plugin is described by a guest, never imported here. */
  private get sourceRules(): PluginSourceRules {
    return { isolation: this.isolationChoices, trustedPlugins: this.trustedPlugins, config: this.options.config, sandbox: this.sandbox };
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
    return this.serialize(async () => {
      const source = await this.sourceOf(fileOrClass);
      if (overrides === undefined) return this.published(await this.loadNow(source), fileOrClass);
      const name = this.nameOf(source);
      validateResourceOverrides(name, overrides);
      const previous = this.resources.overrides.get(name);
      this.resources.overrides.set(name, overrides);
      try {
        return this.published(await this.loadNow(source), fileOrClass);
      } catch (error) {
        this.resources.overrides.set(name, previous);
        throw error;
      }
    });
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
      for (const file of await listPluginFiles(directory)) sources.push(await this.sourceOf(file));
      const loaded: PluginRecord[] = [];
      try {
        for (const source of this.inDependencyOrder(sources)) loaded.push(await this.loadNow(source));
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
      const dependents = this.activeDependentsOf(record);
      if (dependents.length > 0 && !cascade) {
        throw new PluginHasDependentsError(name, this.directDependentsOf(record).map((dependent) => dependent.name));
      }
      for (const dependent of dependents) await this.unloadNow(dependent);
      await this.unloadNow(record);
      await this.clusterSync.publish([...dependents, record], false);
    });
  }

  /**
   * Replaces a plugin with a fresh copy: a file is imported again, so changed code takes
   * effect. Its active dependents are restarted against the new instance. If the new copy
   * fails to load, the old one is started again and the error is thrown.
   */
  reload(name: string): Promise<PluginInfo> {
    return this.serialize(async () => {
      const reloaded = await this.reloadNow(name);
      await this.clusterSync.publish([reloaded], true);
      return toPluginInfo(reloaded);
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
        load: async (source) => this.loadNow(await this.sourceOf(source)),
        reload: (name) => this.reloadNow(name),
        unload: async (name) => {
          const record = this.records.get(name);
          if (record === undefined) return;
          for (const dependent of this.activeDependentsOf(record)) await this.unloadNow(dependent);
          await this.unloadNow(record);
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
    const { declaredClass, file } = record.origin;
    const next = await this.freshSourceOf(record.origin);
    const dependents = this.activeDependentsOf(record);
    for (const dependent of dependents) await this.unloadNow(dependent);
    await this.unloadNow(record);
    let reloaded: PluginRecord;
    try {
      reloaded = await this.loadNow(next);
    } catch (error) {
      await this.loadNow({ declaredClass, file });
      await this.restart(dependents);
      throw error;
    }
    await this.restart(dependents);
    return reloaded;
  }

  /** The plugin name a source declares; a class that is not a plugin fails the load as usual. */
  private nameOf({ declaredClass }: PluginSource): string {
    const metadata = getPluginMetadata(declaredClass);
    if (metadata === undefined) throw new PluginLoadError(`class ${declaredClass.name}`, 'it is not decorated with @Plugin()');
    return metadata.name;
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async sourceOf(fileOrClass: string | PluginClass): Promise<PluginSource> {
    if (typeof fileOrClass !== 'string') return { declaredClass: fileOrClass };
    if (isPackageName(fileOrClass)) return { declaredClass: await this.packages.importPluginClass(fileOrClass, this.sourceRules).catch((error) => this.reportAndThrow(error)) };
    const file = resolve(fileOrClass);
    return { declaredClass: await importPluginClass(file, this.sourceRules).catch((error) => this.reportAndThrow(error)), file };
  }

  /**
   * The code of a loaded plugin, evaluated again: a package is resolved and its entry imported
   * afresh (an upgraded package's new entry included), a file is imported again, a class is reused.
   */
  private async freshSourceOf({ declaredClass, file }: PluginRecord['origin']): Promise<PluginSource> {
    const packageName = this.packages.packageOf(declaredClass);
    if (packageName !== undefined) return { declaredClass: await this.packages.importPluginClass(packageName, this.sourceRules, { fresh: true }) };
    return file === undefined ? { declaredClass } : { declaredClass: await importPluginClass(file, this.sourceRules, { fresh: true }), file };
  }

  /**
   * Validation (metadata, then configuration), the database-door check, resolution against
   * what is active, Nest instantiation, then `onPluginInit`; undone on failure.
   */
  private async loadNow({ declaredClass, file }: PluginSource): Promise<PluginRecord> {
    const packageName = this.packages.packageOf(declaredClass);
    const label = packageName !== undefined ? `package "${packageName}"` : file === undefined ? `class ${declaredClass.name}` : `"${file}"`;
    try {
      if (!isPluginClass(declaredClass)) throw new PluginLoadError(label, 'it is not decorated with @Plugin()');
      const metadata = getPluginMetadata(declaredClass)!;
      await validatePluginMetadata(metadata, declaredClass.name);
      this.resources.assertEngineNames(metadata);
      await this.contexts.configs.prepare(metadata);
      this.contexts.configs.configFor(metadata);
      const existing = this.records.get(metadata.name);
      if (existing !== undefined) throw new DuplicatePluginError(metadata.name, existing.origin.declaredClass.name, declaredClass.name);
      await assertScopedDatabaseAccess([declaredClass], this.trustedPlugins);
      const dependencies = this.resolveAgainstActive(metadata);
      const isolation = this.lifecycle.isolationOf(metadata);
      if (isolation !== 'inline') return await this.loadIsolated(declaredClass, file, isolation);

      const pluginClass = freshPluginClass(declaredClass);
      // An isolated dependency has no Nest module in the host to import.
      linkDependencyModules(pluginClass, dependencies.filter((dependency) => dependency.isolation === undefined).map((dependency) => dependency.pluginClass));
      let modules: NestModuleRef[] = [];
      try {
        modules = await this.instantiate(pluginClass);
        const record = this.lifecycle.createRecord(modules.find((moduleRef) => moduleRef.metatype === pluginClass)!, {
          kind: 'runtime',
          file,
          declaredClass,
          modules,
        });
        return await this.addAndStart(record);
      } catch (error) {
        // The context may exist even when instantiation failed: a provider asked for it.
        await this.contexts.release(pluginClass);
        await this.lifecycle.removeModules(modules);
        throw error;
      }
    } catch (error) {
      const loadError =
        error instanceof PluginLoadError ? error : new PluginLoadError(label, error instanceof Error ? error.message : String(error), { cause: error });
      return this.reportAndThrow(loadError, getPluginMetadata(declaredClass));
    }
  }

  /** A plugin whose module runs in a guest thread or process: no Nest module here, the guest starts with it. */
  private async loadIsolated(declaredClass: PluginClass, file: string | undefined, mode: 'thread' | 'process'): Promise<PluginRecord> {
    const record = await this.lifecycle.createIsolatedRecord(declaredClass, { kind: 'runtime', file, declaredClass, modules: [] }, mode);
    try {
      return await this.addAndStart(record);
    } catch (error) {
      await this.contexts.release(declaredClass);
      throw error;
    }
  }

  /** The steps both load paths share: the record joins the store and starts; a failed start takes it out again. */
  private async addAndStart(record: PluginRecord): Promise<PluginRecord> {
    this.records.add(record);
    try {
      await this.lifecycle.start(record);
    } catch (error) {
      this.records.delete(record);
      throw error;
    }
    return record;
  }

  private async unloadNow(record: PluginRecord): Promise<void> {
    await this.lifecycle.stop(record);
    this.records.delete(record);
  }

  private async restart(records: readonly PluginRecord[]): Promise<void> {
    for (const record of records) await this.loadNow({ declaredClass: record.origin.declaredClass, file: record.origin.file });
  }

  /** The active records the new plugin depends on; throws `PluginResolutionError` for its problems, host mismatch included. */
  private resolveAgainstActive({ name, version, dependencies, hostRange }: Readonly<PluginMetadata>): PluginRecord[] {
    const active = [...this.records.values()].filter((record) => record.state === 'active');
    const nodes = [...active.map((record) => ({ name: record.name, version: record.metadata.version })), { name, version, dependencies, hostRange }];
    const { problems } = analyzePluginGraph(nodes, { hostVersion: this.options.hostVersion });
    if (problems.length > 0) throw new PluginResolutionError(problems);
    const byName = new Map(active.map((record) => [record.name, record]));
    return (dependencies ?? [])
      .map((dependency) => byName.get(typeof dependency === 'string' ? dependency : dependency.name))
      .filter((record): record is PluginRecord => record !== undefined);
  }

  /**
   * Lets Nest build the module (and any module it imports that is not there yet) the way it
   * builds lazy modules, then runs the Nest hooks Nest skips for those. Returns the modules
   * the load added, dependencies first; on failure nothing stays in the container.
   */
  private async instantiate(pluginClass: PluginClass): Promise<NestModuleRef[]> {
    const container = containerOf(this.moduleRef);
    const before = new Set(container.getModules().values());
    const added = (): NestModuleRef[] => [...container.getModules().values()].filter((moduleRef) => !before.has(moduleRef)).reverse();
    try {
      await this.lazyModuleLoader.load(() => pluginClass, { logger: false });
    } catch (error) {
      // Nothing was initialized, so no hooks to run: the half-built modules only leave the container.
      container.removeModules(added());
      throw error;
    }
    const modules = added();
    try {
      await runModulesHook(modules, 'onModuleInit');
      await runModulesHook(modules, 'onApplicationBootstrap');
    } catch (error) {
      await this.lifecycle.removeModules(modules);
      throw error;
    }
    return modules;
  }

  private registered(name: string): PluginRecord {
    const record = this.records.get(name);
    if (record === undefined) throw new PluginNotActiveError(name);
    return record;
  }

  private directDependentsOf(record: PluginRecord): PluginRecord[] {
    return [...this.records.values()].filter(
      (candidate) => candidate.state === 'active' && candidate.dependencies.some((dependency) => !dependency.optional && dependency.name === record.name),
    );
  }

  /** Active plugins that require `record`, directly or through others, latest-started first. */
  private activeDependentsOf(record: PluginRecord): PluginRecord[] {
    const dependents = new Set<PluginRecord>();
    const pending = [record];
    while (pending.length > 0) {
      for (const dependent of this.directDependentsOf(pending.pop()!)) {
        if (!dependents.has(dependent)) {
          dependents.add(dependent);
          pending.push(dependent);
        }
      }
    }
    return [...dependents].sort((a, b) => this.lifecycle.startIndexOf(b) - this.lifecycle.startIndexOf(a));
  }

  /** Sources ordered so dependencies inside the batch load first; resolution problems surface at load. */
  private inDependencyOrder(sources: readonly PluginSource[]): PluginSource[] {
    const byName = new Map(sources.map((source) => [getPluginMetadata(source.declaredClass)!.name, source]));
    const { order } = analyzePluginGraph(
      sources.map(({ declaredClass }) => {
        const { name, version, dependencies } = getPluginMetadata(declaredClass)!;
        return { name, version, dependencies: (dependencies ?? []).filter((dependency) => byName.has(typeof dependency === 'string' ? dependency : dependency.name)) };
      }),
    );
    const ordered = order.map((name) => byName.get(name)!);
    return [...ordered, ...sources.filter((source) => !ordered.includes(source))];
  }

  private reportAndThrow(error: unknown, metadata?: Readonly<PluginMetadata>): never {
    this.lifecycle.reportError(error as Error, metadata);
    throw error;
  }
}
