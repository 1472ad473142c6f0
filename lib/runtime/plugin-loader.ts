import type { LazyModuleLoader, ModuleRef } from '@nestjs/core';
import type { PluginContexts } from '../context/plugin-contexts.js';
import { DuplicatePluginError, PluginLoadError, PluginResolutionError } from '../errors/index.js';
import { analyzePluginGraph } from '../graph/resolve-plugin-order.js';
import type { NestModuleRef } from '../registry/find-plugin-modules.js';
import type { PluginLifecycle } from '../host/plugin-lifecycle.js';
import type { PluginPackages } from '../host/plugin-packages.js';
import { pluginControllerRouter } from '../http/plugin-controller-router.js';
import type { PluginRoutes } from '../http/plugin-routes.js';
import { assertScopedDatabaseAccess } from '../metadata/scoped-database-access.js';
import type { ScopeWideningServices } from '../metadata/scope-widening-services.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginHostOptions } from '../host/plugin-host-options.js';
import { getPluginMetadata, isPluginClass, linkDependencyModules, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { validatePluginMetadata } from '../metadata/plugin-metadata.validator.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import { freshPluginClass } from './fresh-plugin-class.js';
import { containerOf, runModulesHook } from '../host/nest-modules.js';
import type { ResourceOverrides } from '../resources/resource-overrides.interface.js';
import { validateResourceOverrides } from '../resources/resource-overrides.validator.js';
import { nameOf, type PluginSource } from './runtime-plugin-sources.js';

/** Loads one plugin at run time, inline (a Nest module built here) or isolated (a guest); a failed load leaves nothing behind. */
export class PluginLoader {
  constructor(
    private readonly records: PluginRecordStore,
    private readonly lifecycle: PluginLifecycle,
    private readonly contexts: PluginContexts,
    private readonly lazyModuleLoader: LazyModuleLoader,
    private readonly moduleRef: ModuleRef,
    private readonly resources: PluginResources,
    private readonly trustedPlugins: ReadonlySet<string>,
    private readonly scopeWidening: ScopeWideningServices,
    private readonly options: PluginHostOptions,
    private readonly packages: PluginPackages,
    private readonly routes: PluginRoutes,
  ) {}

  /**
   * `load` with `overrides` in force for the plugin (validated first); a failed load puts the
   * previous ones back. Without `overrides`, the plugin keeps those it has.
   */
  async loadWith(source: PluginSource, overrides: ResourceOverrides | undefined): Promise<PluginRecord> {
    if (overrides === undefined) return this.load(source);
    const name = nameOf(source);
    validateResourceOverrides(name, overrides);
    const previous = this.resources.overrides.get(name);
    this.resources.overrides.set(name, overrides);
    try {
      return await this.load(source);
    } catch (error) {
      this.resources.overrides.set(name, previous);
      throw error;
    }
  }

  /**
   * Validation (metadata, then configuration), the database-door check, resolution against
   * what is active, Nest instantiation, then `onPluginInit`; undone on failure.
   */
  async load({ declaredClass, file }: PluginSource): Promise<PluginRecord> {
    const packageName = this.packages.packageOf(declaredClass);
    const label = packageName !== undefined ? `package "${packageName}"` : file === undefined ? `class ${declaredClass.name}` : `"${file}"`;
    try {
      if (!isPluginClass(declaredClass)) throw new PluginLoadError(label, 'it is not decorated with @Plugin()');
      const metadata = getPluginMetadata(declaredClass)!;
      await validatePluginMetadata(metadata, declaredClass.name);
      this.resources.assertEngineNames(metadata);
      this.lifecycle.assertSchemaSource(metadata);
      await this.contexts.configs.prepare(metadata);
      this.contexts.configs.configFor(metadata);
      const existing = this.records.get(metadata.name);
      if (existing !== undefined) throw new DuplicatePluginError(metadata.name, existing.origin.declaredClass.name, declaredClass.name);
      await assertScopedDatabaseAccess([declaredClass], this.trustedPlugins, this.scopeWidening);
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
        this.serveControllers(record.name, modules, modules.find((moduleRef) => moduleRef.metatype === pluginClass)!);
        return await this.addAndStart(record);
      } catch (error) {
        this.routes.close(metadata.name);
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

  /**
   * Nest mounts controllers only while the application boots; a runtime plugin's are built the
   * same way, with the modules the load added, on a router of their own served while the plugin is active.
   */
  private serveControllers(pluginName: string, modules: readonly NestModuleRef[], pluginModule: NestModuleRef): void {
    if (modules.every((moduleRef) => moduleRef.controllers.size === 0)) return;
    this.routes.serveControllers(pluginName, () => pluginControllerRouter(containerOf(this.moduleRef), modules, pluginModule, pluginName));
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

  private reportAndThrow(error: unknown, metadata?: Readonly<PluginMetadata>): never {
    this.lifecycle.reportError(error as Error, metadata);
    throw error;
  }
}
