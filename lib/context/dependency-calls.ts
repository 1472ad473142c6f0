import { PluginNotActiveError, UndeclaredDependencyError } from '../errors/index.js';
import type { PluginCalls } from '../interfaces/facets/call.facet.js';
import type { NormalizedDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import { closestName } from '../metadata/closest-name.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import type { ExposedMethod } from '../registry/exposed-method.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import { resolveExposedMethod, type PluginRecordStore } from '../registry/plugin-record.store.js';
import { runInFrame, type CallFrame } from './plugin-call-context.js';
import { observedCall } from '../observability/metrics/observed-call.js';

/** A declared dependency and, cached until the set of plugins changes, its record. */
interface DependencySlot {
  readonly dependency: NormalizedDependency;
  /** calls through this slot: made by this plugin, running as the dependency */
  readonly frame: CallFrame;
  record?: PluginRecord;
  generation: number;
}

/** The host's `ctx.call`, `ctx.getDependency` and `ctx.getDependencies`: the plugin's declared dependencies, called as this plugin. */
export class DependencyCalls implements PluginCalls {
  #dependencySlots: Map<string, DependencySlot> | undefined;
  /** Handles that carry this plugin as caller, one per dependency record (a reload makes a new record). */
  readonly #dependencyHandles = new WeakMap<PluginRecord, PluginHandle>();
  readonly #metadata: Readonly<PluginMetadata>;
  readonly #records: PluginRecordStore;

  constructor(metadata: Readonly<PluginMetadata>, records: PluginRecordStore) {
    this.#metadata = metadata;
    this.#records = records;
  }

  /** Hot path: one look-up of the declared slot, one of the method, then the call as this plugin. */
  call(pluginId: string, method: string, ...args: unknown[]): any {
    const slot = this.slotOf(pluginId);
    const record = this.recordOf(slot);
    const exposed = resolveExposedMethod(record, pluginId, method);
    return observedCall(record!.meter, record!.calls, slot.frame, exposed, args, runInFrame);
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
    const handles = new Map<string, PluginHandle>();
    for (const [name, slot] of this.slots()) {
      const record = this.recordOf(slot);
      if (record?.state === 'active') handles.set(name, this.handleFor(record));
    }
    return handles;
  }

  private handleFor(record: PluginRecord): PluginHandle {
    let handle = this.#dependencyHandles.get(record);
    if (handle === undefined) {
      const frame: CallFrame = { callerPluginId: this.#metadata.name, actingPluginId: record.name };
      handle = record.createHandle(
        (method: ExposedMethod) =>
          (...args: unknown[]) =>
            observedCall(record.meter, record.calls, frame, method, args, runInFrame),
      );
      this.#dependencyHandles.set(record, handle);
    }
    return handle;
  }

  private slotOf(name: string): DependencySlot {
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
}
