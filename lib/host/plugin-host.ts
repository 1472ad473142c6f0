import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModulesContainer, RouterModule } from '@nestjs/core';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { BOOT_PLUGIN_CLASSES, PLUGIN_ERROR_EVENT, PLUGIN_EVENT_EMITTER, PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { DuplicatePluginError, PluginInitError, PluginResolutionError } from '../errors/index.js';
import { analyzePluginGraph } from '../graph/resolve-plugin-order.js';
import type { OnPluginDestroy, OnPluginInit } from '../interfaces/plugin-lifecycle.interface.js';
import type { PluginErrorEvent, PluginModuleOptions } from '../interfaces/plugin-module-options.interface.js';
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
    @Inject(BOOT_PLUGIN_CLASSES) bootPluginClasses: PluginClass[],
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginModuleOptions,
    @Inject(PLUGIN_EVENT_EMITTER) private readonly emitter: EventEmitter2,
    private readonly records: PluginRecordStore,
    private readonly contexts: PluginContexts,
    modulesContainer: ModulesContainer,
  ) {
    this.pluginModules = findPluginModules(modulesContainer.values(), bootPluginClasses);
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
   * Invalid metadata and duplicate names always fail boot; dependency problems fail it
   * unless `onError: 'isolate'`, which marks the plugins they block `failed` instead.
   */
  onModuleInit(): void {
    const records = this.pluginModules.map((moduleRef) => this.createRecord(moduleRef));
    assertUniqueNames(records);
    const { order, problems, blocked, warnings } = analyzePluginGraph(
      records.map((record) => ({ name: record.name, version: record.metadata.version, dependencies: record.metadata.dependencies })),
    );
    if (problems.length > 0 && !this.isolatesFailures) throw new PluginResolutionError(problems);
    for (const warning of warnings) this.logger.warn(warning);
    for (const record of records) {
      record.state = 'resolving';
      this.records.add(record);
    }
    for (const [name, problem] of blocked) this.markFailed(this.records.get(name)!, problem);
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
      record.state = 'initializing';
      try {
        await (record.instance as Partial<OnPluginInit>).onPluginInit?.(record.context);
        record.state = 'active';
      } catch (cause) {
        const error = new PluginInitError(record.name, cause);
        this.markFailed(record, error);
        if (!this.isolatesFailures) {
          await this.stopPlugins();
          throw error;
        }
        this.markDependentsFailed(record, error);
      }
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

  private markFailed(record: PluginRecord, error: Error): void {
    record.state = 'failed';
    record.error = error;
    if (this.isolatesFailures) {
      this.logger.error(`Plugin "${record.name}" is isolated: ${error.message}`);
      const event: PluginErrorEvent = { error, metadata: record.metadata };
      this.emitter.emit(PLUGIN_ERROR_EVENT, event);
    }
  }

  /** Later plugins in init order that require a failed plugin, directly or through others. */
  private markDependentsFailed(failed: PluginRecord, error: Error): void {
    const failedNames = new Set([failed.name]);
    for (const record of this.initOrder.slice(this.initOrder.indexOf(failed) + 1)) {
      if (record.dependencies.some((dependency) => !dependency.optional && failedNames.has(dependency.name))) {
        failedNames.add(record.name);
        this.markFailed(record, error);
      }
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
      collectExposedMethods(metadata.name, exposableInstances(moduleRef)),
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
