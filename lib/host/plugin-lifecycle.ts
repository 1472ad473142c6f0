import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { ModuleRef } from '@nestjs/core';
import {
  PLUGIN_ERROR_EVENT,
  PLUGIN_EVENT_EMITTER,
  PLUGIN_LOADED_EVENT,
  PLUGIN_MODULE_OPTIONS,
  PLUGIN_RESTARTING_EVENT,
  PLUGIN_UNLOADED_EVENT,
} from '../constants.js';
import { runAsPlugin } from '../context/plugin-call-context.js';
import type { DefaultPluginContext } from '../context/plugin-context.js';
import { PluginContexts } from '../context/plugin-contexts.js';
import { PluginInitError } from '../errors/index.js';
import { recordPluginError } from '../observability/logs/plugin-log-line.js';
import type { OnPluginDestroy, OnPluginInit } from '../interfaces/plugin-lifecycle.interface.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginErrorEvent, PluginRestartingEvent } from '../interfaces/plugin-error-event.interface.js';
import type { PluginHostOptions } from './plugin-host-options.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import { CallPermissions } from '../registry/call-guards/call-permissions.js';
import { guardExposedMethod } from '../registry/call-guards/guard-exposed-method.js';
import { collectExposedMethods } from '../registry/collect-exposed-methods.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { collectPluginEventListeners } from '../registry/collect-plugin-event-listeners.js';
import { PluginRecord, type PluginOrigin } from '../registry/plugin-record.js';
import { containerOf, runModulesHook } from './nest-modules.js';
import { exposableInstances, type NestModuleRef } from '../registry/find-plugin-modules.js';
import { subscribePluginEventListeners } from '../registry/subscribe-plugin-event-listeners.js';
import type { PluginCrashedError } from '../errors/index.js';
import { ISOLATION_CHOICES, SANDBOX_MODE, type IsolationChoices } from '../isolation/isolation-choices.js';
import type { IsolationMode, SandboxMode } from '../interfaces/isolation-options.interface.js';
import { DEFAULT_SANDBOX_MODE } from '../isolation/sandbox/sandbox-mode.js';
import { effectiveIsolationMode } from '../isolation/host/effective-isolation.js';
import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { assertPluginSchemaSource, PluginMigrations } from '../migrations/plugin-migrations.js';
import { pluginMigrations, type PluginMigration } from '../migrations/plugin-migration.js';
import { pluginModuleFileOf } from '../metadata/plugin-module-file.js';
import { PluginResources } from '../resources/plugin-resources.js';
import { PluginRoutes } from '../http/plugin-routes.js';

const DEFAULT_DRAIN_TIMEOUT_MS = 5000;
/** One migration of an isolated plugin, at least: schema changes on a large table take time. */
const MIN_GUEST_MIGRATION_TIMEOUT_MS = 300_000;

/**
 * The steps every plugin goes through, wherever it came from: registration, start
 * (`onPluginInit`) and stop (drain, `onPluginDestroy`, teardown). Boot and runtime loading
 * both use these, so a runtime plugin behaves exactly like a boot-time one.
 */
@Injectable()
export class PluginLifecycle {
  private readonly logger = new Logger('PluginHost');
  /** Active plugins in the order they started: stops go in reverse. */
  private readonly started: PluginRecord[] = [];
  /** The context each record's plugin starts with; the record itself stays free of the context layer. */
  private readonly recordContexts = new WeakMap<PluginRecord, DefaultPluginContext>();
  private readonly permissions: CallPermissions;
  /** Runs plugins' migrations and keeps their ledger; undefined without a TypeORM DataSource. */
  readonly migrations: PluginMigrations | undefined;
  /** Per isolated plugin's metadata (each version has its own): its migrations as its guests run them. */
  private readonly guestMigrations = new WeakMap<Readonly<PluginMetadata>, (migrations: readonly PluginMigration[]) => PluginMigration[]>();

  constructor(
    private readonly contexts: PluginContexts,
    private readonly moduleRef: ModuleRef,
    @Inject(PLUGIN_EVENT_EMITTER) private readonly emitter: EventEmitter2,
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginHostOptions,
    records: PluginRecordStore,
    private readonly resources: PluginResources,
    private readonly routes: PluginRoutes,
    @Optional() @Inject(ISOLATION_CHOICES) private readonly isolationChoices: IsolationChoices = {},
    @Optional() @Inject(SANDBOX_MODE) private readonly sandbox: SandboxMode = DEFAULT_SANDBOX_MODE,
  ) {
    this.permissions = new CallPermissions(options.grants ?? {}, records);
    const dataSource = resources.entityTables?.dataSource;
    this.migrations =
      dataSource === undefined ? undefined : new PluginMigrations(dataSource, (message) => this.logger.warn(message), (metadata) => this.declaredMigrations(metadata));
  }

  /** Inline, the plugin's classes; isolated, their `up` and `down` run in a guest (the host keeps transaction, guard and ledger). */
  private declaredMigrations(metadata: Readonly<PluginMetadata>): PluginMigration[] {
    const migrations = pluginMigrations(metadata.migrations ?? []);
    if (this.isolationOf(metadata) === 'inline') return migrations;
    const inGuest = this.guestMigrations.get(metadata);
    if (inGuest !== undefined) return inGuest(migrations);
    // Planning needs names and checksums only; running one without its guest would run the plugin's code here.
    const refuse = () => Promise.reject(new Error(`Plugin "${metadata.name}" runs isolated: its migrations run in its guest, which is not set up`));
    return migrations.map(({ name, checksum }) => ({ name, checksum, instance: { name, up: refuse, down: refuse } }));
  }

  /** Registration-time check that something creates the plugin's tables (`PluginSchemaMissingError`). */
  assertSchemaSource(metadata: Readonly<PluginMetadata>): void {
    assertPluginSchemaSource(metadata, this.resources.entityTables?.dataSource);
  }

  /**
   * Validates the plugin's configuration and gathers its exposed methods; throws without
   * registering anything. The metadata was validated (`validatePluginMetadata`) and the
   * configuration prepared (`configs.prepare`) before.
   */
  createRecord(moduleRef: NestModuleRef, origin: PluginOrigin): PluginRecord {
    const pluginClass = moduleRef.metatype;
    const metadata = getPluginMetadata(pluginClass)!;
    this.contexts.configs.configFor(metadata);
    const record = new PluginRecord(
      pluginClass,
      metadata,
      (metadata.dependencies ?? []).map(normalizeDependency),
      moduleRef.instance,
      collectExposedMethods(metadata.name, exposableInstances(moduleRef), (fn, declaration) =>
        guardExposedMethod(fn, declaration, metadata.name, this.permissions),
      ),
      origin,
      collectPluginEventListeners(exposableInstances(moduleRef)),
      Array.from(moduleRef.controllers.values(), (wrapper) => wrapper.metatype).filter((controller): controller is Function => typeof controller === 'function'),
    );
    this.recordContexts.set(record, this.contexts.contextFor(pluginClass));
    return record;
  }

  /** Where the plugin runs: the host's `forRoot({ isolation })` wins over `@Plugin({ isolation })`. */
  isolationOf(metadata: Readonly<PluginMetadata>): IsolationMode {
    return effectiveIsolationMode(metadata.name, metadata.isolation, this.isolationChoices);
  }

  /**
   * Like `createRecord`, for a plugin whose module runs in a guest thread or process (docs/isolation.md).
   * The guest machinery (RPC, launcher, session) loads here, on the first isolated plugin.
   */
  async createIsolatedRecord(declaredClass: PluginClass, origin: PluginOrigin, mode: 'thread' | 'process'): Promise<PluginRecord> {
    const metadata = getPluginMetadata(declaredClass)!;
    this.contexts.configs.configFor(metadata);
    const { createIsolatedRecord } = await import('../isolation/host/isolated-record.js');
    const context = this.contexts.contextFor(declaredClass);
    const record = createIsolatedRecord({
      declaredClass,
      origin,
      mode,
      context,
      sandbox: this.sandbox,
      guardPermissions: (fn, method) =>
        guardExposedMethod(fn, { key: method.name, name: method.name, guard: { permissions: [...method.permissions] } }, metadata.name, this.permissions),
      serveControllers: (router) => this.routes.serveControllers(metadata.name, router),
      globalPrefix: () => containerOf(this.moduleRef).applicationConfig?.getGlobalPrefix() ?? '',
      inRequestTenant: (request, handle, fail) => this.routes.inRequestTenant(request, handle, fail),
      restarting: (record, error, restart) => this.emitter.emit(PLUGIN_RESTARTING_EVENT, { error, metadata: record.metadata, restart } satisfies PluginRestartingEvent),
      fail: (record, error) => this.failIsolated(record, error),
    });
    this.recordContexts.set(record, context);
    const moduleFile = origin.file ?? pluginModuleFileOf(declaredClass);
    if ((metadata.migrations ?? []).length > 0 && moduleFile !== undefined) {
      const { migrationsInGuest } = await import('../isolation/host/migrate-in-guest.js');
      const site = {
        pluginName: metadata.name,
        mode,
        moduleFile,
        env: metadata.env ?? [],
        sandbox: this.sandbox,
        maxOldGenerationSizeMb: metadata.resourceLimits?.maxOldGenerationSizeMb,
        timeoutMs: Math.max(metadata.resourceLimits?.callTimeoutMs ?? 0, MIN_GUEST_MIGRATION_TIMEOUT_MS),
      };
      this.guestMigrations.set(metadata, (migrations) => migrationsInGuest(migrations, site));
    }
    return record;
  }

  /**
   * Runs the plugin's pending migrations, then `onPluginInit`; the plugin is `active` once it
   * resolves. Throws the migrations' error as it is (`PluginSchemaAheadError`,
   * `PluginMigrationError`) or `PluginInitError`; state `failed`.
   */
  async start(record: PluginRecord): Promise<void> {
    record.state = 'initializing';
    await this.migrate(record);
    const context = this.recordContexts.get(record)!;
    try {
      // Before onPluginInit, so the plugin hears what it and the plugins after it emit while starting.
      subscribePluginEventListeners(context, record.eventListeners);
      await context.prepareResources();
      const instance = record.instance as Partial<OnPluginInit>;
      // Its code acts as itself, and so does every timer or promise it starts (docs/security.md).
      if (instance.onPluginInit !== undefined) await runAsPlugin(record.ownCodeFrame, () => instance.onPluginInit!(context));
    } catch (cause) {
      // The console's error panel shows why the plugin did not start (`lifecycle onPluginInit failed: …`).
      recordPluginError(record.name, 'lifecycle', 'onPluginInit', cause);
      // A failed plugin must not react to events: drop its listeners, decorated or added in onPluginInit.
      context.eventBus.removeAllListeners();
      record.state = 'failed';
      record.error = new PluginInitError(record.name, cause);
      throw record.error;
    }
    record.state = 'active';
    this.started.push(record);
    this.emitter.emit(PLUGIN_LOADED_EVENT, record.metadata);
  }

  private async migrate(record: PluginRecord): Promise<void> {
    if (this.migrations === undefined || !this.migrations.concerns(record.metadata)) return;
    try {
      await this.migrations.migrate({ metadata: record.metadata, scope: this.resources.scopeFor(record.metadata) }, record.origin.kind === 'boot');
    } catch (error) {
      record.state = 'failed';
      record.error = error as Error;
      throw error;
    }
  }

  /**
   * Stops an active plugin: new calls fail at once, pending ones get `drainTimeoutMs` to
   * settle, then `onPluginDestroy`, then its listeners and context go, and the Nest modules
   * a runtime load added are destroyed and removed from the container.
   */
  async stop(record: PluginRecord): Promise<void> {
    if (record.state !== 'active') return;
    record.state = 'stopping';
    const drainTimeoutMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    if (!(await record.calls.whenIdle(drainTimeoutMs))) {
      this.logger.warn(`Plugin "${record.name}" stops with ${record.calls.inFlight} call(s) still pending after ${drainTimeoutMs} ms`);
    }
    await this.contexts.stopTasks(record.pluginClass);
    await this.guard(record, 'onPluginDestroy', () => runAsPlugin(record.ownCodeFrame, () => (record.instance as Partial<OnPluginDestroy>).onPluginDestroy?.()));
    record.state = 'inactive';
    this.started.splice(this.started.indexOf(record), 1);
    await this.contexts.release(record.pluginClass);
    await this.removeModules(record.origin.modules);
    this.emitter.emit(PLUGIN_UNLOADED_EVENT, record.metadata);
  }

  /** Every active plugin, in reverse start order. */
  async stopAll(): Promise<void> {
    for (const record of [...this.started].reverse()) await this.stop(record);
  }

  /** Position in the start order (-1 when not active): later plugins stop first. */
  startIndexOf(record: PluginRecord): number {
    return this.started.indexOf(record);
  }

  /** Marks the plugin failed and tells `plugin:error` listeners. */
  fail(record: PluginRecord, error: Error): void {
    record.state = 'failed';
    record.error = error;
    this.reportError(error, record.metadata);
  }

  /** An isolated plugin that crashed too often: `failed`, out of the start order, its host-side context ended. */
  private failIsolated(record: PluginRecord, error: PluginCrashedError): void {
    if (record.state !== 'active') return;
    this.started.splice(this.started.indexOf(record), 1);
    this.fail(record, error);
    void this.contexts.release(record.pluginClass);
  }

  reportError(error: Error, metadata?: Readonly<PluginMetadata>): void {
    const event: PluginErrorEvent = { error, ...(metadata === undefined ? {} : { metadata }) };
    this.emitter.emit(PLUGIN_ERROR_EVENT, event);
  }

  /** Destroys modules a runtime load added (dependents first) and takes them out of Nest's container. */
  async removeModules(modules: readonly NestModuleRef[]): Promise<void> {
    if (modules.length === 0) return;
    const dependentsFirst = [...modules].reverse();
    for (const hook of ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const) {
      await this.guard(undefined, hook, () => runModulesHook(dependentsFirst, hook));
    }
    containerOf(this.moduleRef).removeModules(dependentsFirst);
  }

  /** Teardown goes on when one step fails: the failure is logged, the rest still runs. */
  private async guard(record: PluginRecord | undefined, step: string, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (error) {
      const subject = record === undefined ? 'A runtime module' : `Plugin "${record.name}"`;
      this.logger.error(`${subject} failed in ${step}: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
