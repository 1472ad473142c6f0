import { Logger } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { ContextInvalidatedError, PluginNotActiveError, TasksUnavailableError, UndeclaredDependencyError } from '../errors/index.js';
import type { PluginRoutes } from '../http/plugin-routes.js';
import { ScopedPluginHttp } from '../http/scoped-plugin-http.js';
import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import { closestName } from '../metadata/closest-name.js';
import type { ExposedMethod } from '../registry/exposed-method.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import { resolveExposedMethod, type PluginRecordStore } from '../registry/plugin-record.store.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import type { ScopedBuckets } from '../resources/buckets/scoped-buckets.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import type { PluginDatabase } from '../resources/tables/plugin-database.js';
import type { ScopedTopics } from '../resources/topics/scoped-topics.js';
import { PluginSharedData } from '../services/shared-data/plugin-shared-data.js';
import type { SharedDataService } from '../services/shared-data/shared-data.service.js';
import type { PluginTasks } from '../tasks/plugin-tasks.js';
import type { ScopedTasks } from '../tasks/scoped-tasks.js';
import { runInFrame, type CallFrame } from './plugin-call-context.js';
import { PluginConfigs } from './plugin-configs.js';
import { ScopedEventBus } from './scoped-event-bus.js';

/** A declared dependency and, cached until the set of plugins changes, its record. */
interface DependencySlot {
  readonly dependency: NormalizedDependency;
  /** calls through this slot: made by this plugin, running as the dependency */
  readonly frame: CallFrame;
  record?: PluginRecord;
  generation: number;
}

/**
 * The one `PluginContext` of a plugin, created when its module is instantiated. It and every
 * member it hands out keep host objects in private fields (`#`): walking the context's
 * properties must reach no DataSource, emitter or library service (docs/security.md).
 */
export class DefaultPluginContext implements PluginContext {
  #isValid = true;
  #dependencySlots: Map<string, DependencySlot> | undefined;
  // Created on first use: most plugins never touch them, and boot creates a context per plugin.
  #pluginLogger: Logger | undefined;
  #scopedEventBus: ScopedEventBus | undefined;
  #scopedHttp: ScopedPluginHttp | undefined;
  #resourceScope: ResourceScope | undefined;
  #pluginDatabase: PluginDatabase | undefined;
  #scopedTopics: ScopedTopics | undefined;
  #scopedBuckets: ScopedBuckets | undefined;
  #pluginSharedData: PluginSharedData | undefined;
  #scopedTasks: ScopedTasks | undefined;
  #pluginConfig: Readonly<Record<string, unknown>> | undefined;
  /** Handles that carry this plugin as caller, one per dependency record (a reload makes a new record). */
  readonly #dependencyHandles = new WeakMap<PluginRecord, PluginHandle>();

  readonly #metadata: Readonly<PluginMetadata>;
  readonly #records: PluginRecordStore;
  readonly #emitter: EventEmitter2;
  readonly #routes: PluginRoutes;
  readonly #resources: PluginResources;
  readonly #sharedDataService: SharedDataService;
  /** without a host (a context built in a test), no configuration is given: schema defaults apply */
  readonly #configs: PluginConfigs;
  /** without a host (a context built in a test), `tasks` is unavailable */
  readonly #pluginTasks: PluginTasks | undefined;

  constructor(
    metadata: Readonly<PluginMetadata>,
    records: PluginRecordStore,
    emitter: EventEmitter2,
    routes: PluginRoutes,
    resources: PluginResources,
    sharedDataService: SharedDataService,
    configs: PluginConfigs = new PluginConfigs(undefined),
    pluginTasks?: PluginTasks,
  ) {
    this.#metadata = metadata;
    this.#records = records;
    this.#emitter = emitter;
    this.#routes = routes;
    this.#resources = resources;
    this.#sharedDataService = sharedDataService;
    this.#configs = configs;
    this.#pluginTasks = pluginTasks;
  }

  get plugin(): Readonly<PluginMetadata> {
    this.assertValid();
    return this.#metadata;
  }

  /** Resolved on first read, so a provider may read it in its constructor: before registration, a bad configuration throws here. */
  get config(): Readonly<Record<string, unknown>> {
    this.assertValid();
    return (this.#pluginConfig ??= this.#configs.configFor(this.#metadata) as Readonly<Record<string, unknown>>);
  }

  get logger(): Logger {
    this.assertValid();
    return (this.#pluginLogger ??= new Logger(this.#metadata.name));
  }

  get eventBus(): ScopedEventBus {
    this.assertValid();
    return (this.#scopedEventBus ??= new ScopedEventBus(this.#metadata.name, this.#emitter, () => this.assertValid()));
  }

  get http(): ScopedPluginHttp {
    this.assertValid();
    return (this.#scopedHttp ??= new ScopedPluginHttp(this.#metadata.name, this.#routes, () => this.assertValid()));
  }

  get database(): PluginDatabase {
    this.assertValid();
    return (this.#pluginDatabase ??= this.#resources.databaseFor(this.scope(), this.#metadata.entities ?? [], () => this.assertValid()));
  }

  get topics(): ScopedTopics {
    this.assertValid();
    return (this.#scopedTopics ??= this.#resources.topicsFor(this.scope(), () => this.assertValid()));
  }

  get buckets(): ScopedBuckets {
    this.assertValid();
    return (this.#scopedBuckets ??= this.#resources.bucketsFor(this.scope(), () => this.assertValid()));
  }

  get sharedData(): PluginSharedData {
    this.assertValid();
    return (this.#pluginSharedData ??= new PluginSharedData(this.#sharedDataService, this.#metadata.name, () => this.assertValid()));
  }

  get tasks(): ScopedTasks {
    this.assertValid();
    if (this.#pluginTasks === undefined) throw new TasksUnavailableError(this.#metadata.name);
    return (this.#scopedTasks ??= this.#pluginTasks.tasksFor(this.#metadata.name, () => this.assertValid()));
  }

  get valid(): boolean {
    return this.#isValid;
  }

  /** Hot path: one look-up of the declared slot, one of the method, then the call as this plugin. */
  call(pluginId: string, method: string, ...args: unknown[]): any {
    const slot = this.slotOf(pluginId);
    const record = this.recordOf(slot);
    const exposed = resolveExposedMethod(record, pluginId, method);
    return record!.calls.track(runInFrame(slot.frame, exposed, args));
  }

  getDependency(name: string): PluginHandle<any> | undefined {
    const slot = this.slotOf(name);
    const record = this.recordOf(slot);
    if (record === undefined || record.state !== 'active') {
      if (slot.dependency.optional) return undefined;
      throw new PluginNotActiveError(name);
    }
    return this.handleFor(record);
  }

  getDependencies(): Map<string, PluginHandle> {
    this.assertValid();
    const handles = new Map<string, PluginHandle>();
    for (const [name, slot] of this.slots()) {
      const record = this.recordOf(slot);
      if (record?.state === 'active') handles.set(name, this.handleFor(record));
    }
    return handles;
  }

  /** Registers the plugin's entities before it starts, if it has any and no repository injection did already. */
  async prepareResources(): Promise<void> {
    if ((this.#metadata.entities ?? []).length > 0) await this.database.ready();
  }

  /**
   * Ends the context: listeners, HTTP routes, topic subscriptions and entity metadata are
   * removed, and every member throws from now on.
   */
  async invalidate(): Promise<void> {
    await this.stopTasks();
    this.#scopedEventBus?.removeAllListeners();
    // Always, not only when `http` was used: the plugin's controllers must stop answering too.
    this.#routes.close(this.#metadata.name);
    this.#isValid = false;
    await this.#scopedTopics?.close();
    this.#pluginDatabase?.close();
  }

  /** Cancels the plugin's scheduled tasks: no run starts once this resolves (the lifecycle calls it before `onPluginDestroy`). */
  async stopTasks(): Promise<void> {
    if (this.#scopedTasks !== undefined) await this.#pluginTasks!.release(this.#scopedTasks);
  }

  private scope(): ResourceScope {
    return (this.#resourceScope ??= this.#resources.scopeFor(this.#metadata));
  }

  private handleFor(record: PluginRecord): PluginHandle {
    let handle = this.#dependencyHandles.get(record);
    if (handle === undefined) {
      const frame: CallFrame = { callerPluginId: this.#metadata.name, actingPluginId: record.name };
      handle = record.createHandle(
        (method: ExposedMethod) =>
          (...args: unknown[]) =>
            record.calls.track(runInFrame(frame, method, args)),
      );
      this.#dependencyHandles.set(record, handle);
    }
    return handle;
  }

  private slotOf(name: string): DependencySlot {
    this.assertValid();
    const slot = this.slots().get(name);
    if (slot === undefined) throw new UndeclaredDependencyError(this.#metadata.name, name, closestName(name, this.slots().keys()));
    return slot;
  }

  private recordOf(slot: DependencySlot): PluginRecord | undefined {
    if (slot.generation !== this.#records.generation) {
      slot.record = this.#records.get(slot.dependency.name);
      slot.generation = this.#records.generation;
    }
    return slot.record;
  }

  /** Built on first use: the context exists before the metadata is validated. */
  private slots(): Map<string, DependencySlot> {
    const callerPluginId = this.#metadata.name;
    this.#dependencySlots ??= new Map(
      (this.#metadata.dependencies ?? [])
        .map(normalizeDependency)
        .map((dependency) => [dependency.name, { dependency, frame: { callerPluginId, actingPluginId: dependency.name }, generation: -1 }]),
    );
    return this.#dependencySlots;
  }

  private assertValid(): void {
    if (!this.#isValid) throw new ContextInvalidatedError(this.#metadata.name);
  }
}
