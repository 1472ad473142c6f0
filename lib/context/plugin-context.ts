import { Logger } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import { ContextInvalidatedError, PluginNotActiveError, UndeclaredDependencyError } from '../errors/index.js';
import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import type { ExposedMethod, PluginRecord } from '../registry/plugin-record.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';
import { createPluginHandle } from '../registry/plugin-handle.js';
import { currentCallContextOrUndefined, runInCallContext, type PluginCallContextData } from './plugin-call-context.js';
import { ScopedEventBus } from './scoped-event-bus.js';

/** The one `PluginContext` of a plugin, created when its module is instantiated. */
export class DefaultPluginContext implements PluginContext {
  private isValid = true;
  private declaredDependencies?: Map<string, NormalizedDependency>;
  private readonly pluginLogger: Logger;
  private readonly scopedEventBus: ScopedEventBus;
  /** Reused while the tenant stays the same, so a call allocates no context object. */
  private callerContext: PluginCallContextData;
  /** Handles that carry this plugin as caller, one per dependency record (a reload makes a new record). */
  private readonly dependencyHandles = new WeakMap<PluginRecord, PluginHandle>();

  constructor(
    private readonly metadata: Readonly<PluginMetadata>,
    private readonly records: PluginRecordStore,
    emitter: EventEmitter2,
  ) {
    this.pluginLogger = new Logger(metadata.name);
    this.scopedEventBus = new ScopedEventBus(emitter, () => this.assertValid());
    this.callerContext = Object.freeze({ callerPluginId: metadata.name });
  }

  get plugin(): Readonly<PluginMetadata> {
    this.assertValid();
    return this.metadata;
  }

  get logger(): Logger {
    this.assertValid();
    return this.pluginLogger;
  }

  get eventBus(): ScopedEventBus {
    this.assertValid();
    return this.scopedEventBus;
  }

  get valid(): boolean {
    return this.isValid;
  }

  call(pluginId: string, method: string, ...args: unknown[]): any {
    this.assertDeclared(pluginId);
    return this.applyAsCaller(this.records.resolveMethod(pluginId, method), args);
  }

  getDependency(name: string): PluginHandle<any> | undefined {
    const dependency = this.assertDeclared(name);
    const record = this.records.get(name);
    if (record === undefined || record.state !== 'active') {
      if (dependency.optional) return undefined;
      throw new PluginNotActiveError(name);
    }
    return this.handleFor(record);
  }

  getDependencies(): Map<string, PluginHandle> {
    this.assertValid();
    const handles = new Map<string, PluginHandle>();
    for (const name of this.declared().keys()) {
      const record = this.records.get(name);
      if (record?.state === 'active') handles.set(name, this.handleFor(record));
    }
    return handles;
  }

  /** Ends the context: listeners are removed and every member throws from now on. */
  invalidate(): void {
    this.scopedEventBus.removeAllListeners();
    this.isValid = false;
  }

  private handleFor(record: PluginRecord): PluginHandle {
    let handle = this.dependencyHandles.get(record);
    if (handle === undefined) {
      handle = createPluginHandle(record, (method, args) => this.applyAsCaller(method, args));
      this.dependencyHandles.set(record, handle);
    }
    return handle;
  }

  private applyAsCaller(method: ExposedMethod, args: unknown[]): unknown {
    const tenantId = currentCallContextOrUndefined()?.tenantId;
    if (this.callerContext.tenantId !== tenantId) {
      this.callerContext = Object.freeze({ callerPluginId: this.metadata.name, tenantId });
    }
    return runInCallContext(this.callerContext, Reflect.apply, method.fn, method.target, args);
  }

  private assertDeclared(name: string): NormalizedDependency {
    this.assertValid();
    const dependency = this.declared().get(name);
    if (dependency === undefined) throw new UndeclaredDependencyError(this.metadata.name, name);
    return dependency;
  }

  /** Built on first use: the context exists before the metadata is validated. */
  private declared(): Map<string, NormalizedDependency> {
    this.declaredDependencies ??= new Map(
      (this.metadata.dependencies ?? []).map(normalizeDependency).map((dependency) => [dependency.name, dependency]),
    );
    return this.declaredDependencies;
  }

  private assertValid(): void {
    if (!this.isValid) throw new ContextInvalidatedError(this.metadata.name);
  }
}
