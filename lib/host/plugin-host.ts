import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, RouterModule } from '@nestjs/core';
import { BOOT_PLUGIN_CLASSES } from '../constants.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { DuplicatePluginError, PluginInitError } from '../errors/index.js';
import { resolvePluginOrder } from '../graph/resolve-plugin-order.js';
import type { OnPluginDestroy, OnPluginInit } from '../interfaces/plugin-lifecycle.interface.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { validatePluginMetadata } from '../metadata/plugin-metadata.validator.js';
import { collectExposedMethods } from '../registry/collect-exposed-methods.js';
import { PluginRecord } from '../registry/plugin-record.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { exposableInstances, findPluginModules, type NestModuleRef } from './find-plugin-modules.js';

/**
 * Runs the plugins of the application through their life: registration and resolution
 * when Nest initializes modules, `onPluginInit` in dependency order once every module is
 * initialized, `onPluginDestroy` in reverse on shutdown.
 */
@Injectable()
export class PluginHost implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PluginHost');
  private readonly pluginModules: NestModuleRef[];
  /** Plugins in the order they were (or will be) initialized. */
  private initOrder: PluginRecord[] = [];

  constructor(
    @Inject(BOOT_PLUGIN_CLASSES) private readonly bootPluginClasses: PluginClass[],
    private readonly records: PluginRecordStore,
    private readonly contexts: PluginContexts,
    private readonly metadataScanner: MetadataScanner,
    modulesContainer: ModulesContainer,
  ) {
    this.pluginModules = findPluginModules(modulesContainer.values(), bootPluginClasses);
    // Routes are registered before any lifecycle hook runs, so the prefix must be set now.
    new RouterModule(
      modulesContainer,
      this.pluginModules.map((moduleRef) => ({ path: `plugins/${getPluginMetadata(moduleRef.metatype)!.name}`, module: moduleRef.metatype })),
    );
  }

  /** Validates, registers and resolves every plugin; throws before any plugin hook has run. */
  onModuleInit(): void {
    const records = this.pluginModules.map((moduleRef) => this.createRecord(moduleRef));
    assertUniqueNames(records);
    const { order, warnings } = resolvePluginOrder(
      records.map((record) => ({ name: record.name, version: record.metadata.version, dependencies: record.metadata.dependencies })),
    );
    for (const warning of warnings) this.logger.warn(warning);
    for (const record of records) {
      record.state = 'resolving';
      this.records.add(record);
    }
    this.initOrder = order.map((name) => this.records.get(name)!);
  }

  /**
   * Runs after every module's `onModuleInit` (this module is global, so its bootstrap hook
   * comes before those of plugin modules). If one plugin fails, the ones already started
   * are destroyed again and boot fails with the error.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const record of this.initOrder) {
      record.state = 'initializing';
      try {
        await (record.instance as Partial<OnPluginInit>).onPluginInit?.(record.context);
      } catch (cause) {
        record.state = 'failed';
        record.error = new PluginInitError(record.name, cause);
        await this.stopPlugins();
        throw record.error;
      }
      record.state = 'active';
    }
  }

  /** Also run by BootPluginsModule, earlier in shutdown; whichever runs second finds nothing to do. */
  async onModuleDestroy(): Promise<void> {
    await this.stopPlugins();
  }

  /** In exact reverse of the init order; one plugin's failing destroy does not stop the others. */
  async stopPlugins(): Promise<void> {
    for (const record of [...this.initOrder].reverse()) {
      if (record.state !== 'active') continue;
      record.state = 'stopping';
      try {
        await (record.instance as Partial<OnPluginDestroy>).onPluginDestroy?.();
      } catch (error) {
        this.logger.error(`Plugin "${record.name}" failed in onPluginDestroy: ${(error as Error).message}`, (error as Error).stack);
      }
      record.state = 'inactive';
      this.contexts.release(record.pluginClass);
    }
  }

  private createRecord(moduleRef: NestModuleRef): PluginRecord {
    const pluginClass = moduleRef.metatype;
    const metadata = getPluginMetadata(pluginClass)!;
    validatePluginMetadata(metadata, pluginClass.name);
    return new PluginRecord(
      pluginClass,
      metadata,
      (metadata.dependencies ?? []).map(normalizeDependency),
      moduleRef.instance,
      collectExposedMethods(metadata.name, exposableInstances(moduleRef), this.metadataScanner),
      this.contexts.contextFor(pluginClass),
    );
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
