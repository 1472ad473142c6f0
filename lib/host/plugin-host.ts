import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModulesContainer, RouterModule } from '@nestjs/core';
import { BOOT_PLUGIN_CLASSES, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { ApplicationBoot } from '../services/application-boot.js';
import { DuplicatePluginError, PluginResolutionError } from '../errors/index.js';
import { analyzePluginGraph } from '../graph/resolve-plugin-order.js';
import type { PluginHostOptions } from './plugin-host-options.js';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { validatePluginMetadata } from '../metadata/plugin-metadata.validator.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { findPluginModules, type NestModuleRef } from '../registry/find-plugin-modules.js';
import { PluginLifecycle } from './plugin-lifecycle.js';
import { assertScopedDatabaseAccess } from '../metadata/scoped-database-access.js';
import { SCOPE_WIDENING_SERVICES, type ScopeWideningServices } from '../metadata/scope-widening-services.js';
import { TRUSTED_PLUGINS } from './trusted-plugins.js';
import { ISOLATED_BOOT_PLUGINS } from '../isolation/isolation-choices.js';
import { PluginResources } from '../resources/plugin-resources.js';

/**
 * Takes the plugins Nest instantiated with the application through boot: registration and
 * resolution when Nest initializes modules, `onPluginInit` in dependency order once every
 * module is initialized, and every active plugin stopped in reverse on shutdown.
 */
@Injectable()
export class PluginHost implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PluginHost');
  private readonly pluginModules: NestModuleRef[];
  private readonly bootPluginClasses: ReadonlySet<PluginClass>;
  /** Boot plugins in the order they are to be initialized. */
  private initOrder: PluginRecord[] = [];

  constructor(
    @Inject(BOOT_PLUGIN_CLASSES) bootPluginClasses: PluginClass[],
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginHostOptions,
    @Inject(TRUSTED_PLUGINS) private readonly trustedPlugins: ReadonlySet<string>,
    @Inject(SCOPE_WIDENING_SERVICES) private readonly scopeWidening: ScopeWideningServices,
    private readonly records: PluginRecordStore,
    private readonly lifecycle: PluginLifecycle,
    modulesContainer: ModulesContainer,
    private readonly contexts: PluginContexts,
    private readonly resources: PluginResources,
    private readonly boot: ApplicationBoot,
    /** boot plugins that run in a guest thread or process, registered after the inline ones */
    @Optional() @Inject(ISOLATED_BOOT_PLUGINS) private readonly isolatedPluginClasses: PluginClass[] = [],
  ) {
    this.pluginModules = findPluginModules(modulesContainer.values(), bootPluginClasses);
    this.bootPluginClasses = new Set(bootPluginClasses);
    // Routes are registered before any lifecycle hook runs, so the prefix must be set now.
    // Only modules with controllers: RouterModule looks each module up in the whole container.
    new RouterModule(
      modulesContainer,
      this.pluginModules
        .filter((moduleRef) => moduleRef.controllers.size > 0)
        .map((moduleRef) => ({ path: `plugins/${getPluginMetadata(moduleRef.metatype)!.name}`, module: moduleRef.metatype })),
    );
  }

  private get isolatesFailures(): boolean {
    return this.options.onError === 'isolate';
  }

  /**
   * Validates, registers and resolves every plugin before any plugin hook has run.
   * Invalid metadata or configuration, duplicate names and unscoped database access always
   * fail boot; dependency and host-version problems fail it unless `onError: 'isolate'`,
   * which marks the plugins they block `failed` instead.
   */
  async onModuleInit(): Promise<void> {
    for (const declaredClass of [...this.pluginModules.map((moduleRef) => moduleRef.metatype), ...this.isolatedPluginClasses]) {
      const metadata = getPluginMetadata(declaredClass)!;
      await validatePluginMetadata(metadata, declaredClass.name);
      this.resources.assertEngineNames(metadata);
      this.lifecycle.assertSchemaSource(metadata);
      await this.contexts.configs.prepare(metadata);
    }
    const records = this.pluginModules.map((moduleRef) =>
      this.lifecycle.createRecord(moduleRef, { kind: 'boot', declaredClass: moduleRef.metatype, modules: [] }),
    );
    for (const declaredClass of this.isolatedPluginClasses) {
      const mode = this.lifecycle.isolationOf(getPluginMetadata(declaredClass)!) as 'thread' | 'process';
      records.push(await this.lifecycle.createIsolatedRecord(declaredClass, { kind: 'boot', declaredClass, modules: [] }, mode));
    }
    // Isolated plugins take their place in the order PluginModule was given them; discovered ones stay last.
    const given = [...this.bootPluginClasses];
    const position = (record: PluginRecord) => (this.bootPluginClasses.has(record.pluginClass) ? given.indexOf(record.pluginClass) : given.length);
    records.sort((a, b) => position(a) - position(b));
    assertUniqueNames(records);
    // Plugins from `plugins` and `pluginsDir` were checked before Nest built anything; the ones
    // the application imports itself can only be checked now, after Nest built their providers.
    const discovered = records.map((record) => record.pluginClass).filter((pluginClass) => !this.bootPluginClasses.has(pluginClass));
    await assertScopedDatabaseAccess(discovered, this.trustedPlugins, this.scopeWidening);
    const { order, problems, blocked, warnings } = analyzePluginGraph(
      records.map(({ name, metadata }) => ({ name, version: metadata.version, dependencies: metadata.dependencies, hostRange: metadata.hostRange })),
      { hostVersion: this.options.hostVersion },
    );
    if (problems.length > 0 && !this.isolatesFailures) throw new PluginResolutionError(problems);
    for (const warning of warnings) this.logger.warn(warning);
    // A warning, not an error: the configuration may be for a plugin loaded at runtime.
    for (const name of this.contexts.configs.unclaimedNames(new Set(records.map((record) => record.name)))) {
      this.logger.warn(`Configuration is given for "${name}", but no plugin of that name is registered at boot (it applies if one is loaded later)`);
    }
    for (const record of records) {
      record.state = 'resolving';
      this.records.add(record);
    }
    for (const [name, problem] of blocked) this.isolate(this.records.get(name)!, problem);
    this.initOrder = order.map((name) => this.records.get(name)!);
  }

  /**
   * Runs after every module's `onModuleInit` (this module is global, so its bootstrap hook
   * comes before those of plugin modules). A failing plugin either fails boot, after the
   * plugins already started are stopped again, or is isolated with its dependents.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const record of this.initOrder) {
      if (record.state === 'failed') continue; // isolated: a dependency failed before it
      try {
        await this.lifecycle.start(record);
      } catch (error) {
        if (!this.isolatesFailures) {
          await this.lifecycle.stopAll();
          throw error;
        }
        this.isolate(record, error as Error);
        this.isolateDependents(record, error as Error);
      }
    }
    this.boot.completed();
  }

  /** Also run by BootPluginsModule, earlier in shutdown; whichever runs second finds nothing to do. */
  async onModuleDestroy(): Promise<void> {
    await this.lifecycle.stopAll();
  }

  private isolate(record: PluginRecord, error: Error): void {
    this.logger.error(`Plugin "${record.name}" is isolated: ${error.message}`);
    this.lifecycle.fail(record, error);
  }

  /** Later plugins in init order that require a failed plugin, directly or through others. */
  private isolateDependents(failed: PluginRecord, error: Error): void {
    const failedNames = new Set([failed.name]);
    for (const record of this.initOrder.slice(this.initOrder.indexOf(failed) + 1)) {
      if (record.dependencies.some((dependency) => !dependency.optional && failedNames.has(dependency.name))) {
        failedNames.add(record.name);
        this.isolate(record, error);
      }
    }
  }
}

function assertUniqueNames(records: readonly PluginRecord[]): void {
  const seen = new Map<string, PluginRecord>();
  for (const record of records) {
    const first = seen.get(record.name);
    if (first !== undefined) throw new DuplicatePluginError(record.name, first.pluginClass.name, record.pluginClass.name);
    seen.set(record.name, record);
  }
}
