import { Injectable } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { PluginNotActiveError } from '../errors/index.js';
import { buildPluginGraph, renderPluginGraph, type PluginGraphFormat } from '../graph/render-plugin-graph.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import type { PluginInfo } from '../interfaces/plugin-state.interface.js';
import type {
  CallableMethodName,
  CallArguments,
  CallResult,
  DeclaredPluginName,
  PluginHandle,
  PluginTypes,
  UndeclaredPluginName,
} from '../interfaces/plugin-types.interface.js';
import { currentFrame } from '../context/plugin-call-context.js';
import { actingPluginHandle, assertDeclaredBy, callFrom } from './acting-plugin-calls.js';
import type { PluginRecord } from './plugin-record.js';
import { PluginRecordStore, resolveExposedMethod } from './plugin-record.store.js';

/** Calls exposed methods of plugins by name and answers questions about them. */
@Injectable()
export class PluginRegistry {
  /** One handle per record (a reload makes a new record); its calls act as the code that makes them. */
  private readonly handles = new WeakMap<PluginRecord, PluginHandle>();

  constructor(private readonly records: PluginRecordStore) {}

  /**
   * Calls an exposed method. Synchronous: throws `PluginNotActiveError` or
   * `MethodNotExposedError` at once and returns exactly what the method returns;
   * what the method throws reaches the caller unchanged.
   */
  // One signature for declared and other plugins: with a typed and an untyped overload, a typed
  // call missing an argument fell through to the untyped one, and tsc reported `"x"` not
  // assignable to `never` instead of `Expected 3 arguments, but got 2`.
  call<N extends string, M extends CallableMethodName<N>>(name: N, method: M, ...args: CallArguments<N, M>): CallResult<N, M>;
  call(name: string, method: string, ...args: unknown[]): unknown {
    // Plugin code calls as itself (docs/security.md): one look-up of the current frame.
    const from = currentFrame();
    if (from?.actingPluginId !== undefined) assertDeclaredBy(this.records, from.actingPluginId, name);
    const record = this.records.get(name);
    const exposed = resolveExposedMethod(record, name, method, this.records);
    return callFrom(from, record!, exposed, args);
  }

  /** A handle on an active plugin: its metadata and its exposed methods. */
  get<N extends DeclaredPluginName>(name: N): PluginHandle<PluginTypes[N]>;
  get<T>(pluginClass: Type<T>): PluginHandle<T>;
  get<N extends string>(name: UndeclaredPluginName<N>): PluginHandle;
  get(nameOrClass: string | Type<unknown>): PluginHandle<unknown> {
    const record = typeof nameOrClass === 'string' ? this.records.get(nameOrClass) : this.records.getByClass(nameOrClass);
    const name = typeof nameOrClass === 'string' ? nameOrClass : (getPluginMetadata(nameOrClass)?.name ?? nameOrClass.name);
    const actingPluginId = currentFrame()?.actingPluginId;
    if (actingPluginId !== undefined) assertDeclaredBy(this.records, actingPluginId, name);
    if (record === undefined || record.state !== 'active') {
      if (typeof nameOrClass === 'string') throw this.records.notActiveError(nameOrClass);
      throw new PluginNotActiveError(name);
    }
    let handle = this.handles.get(record);
    if (handle === undefined) {
      handle = actingPluginHandle(this.records, record);
      this.handles.set(record, handle);
    }
    return handle;
  }

  /** Whether a plugin of that name is registered, in any state. */
  has(name: string): boolean {
    return this.records.get(name) !== undefined;
  }

  isActive(name: string): boolean {
    return this.records.get(name)?.state === 'active';
  }

  /** Every registered plugin with its state, in registration order. */
  list(): PluginInfo[] {
    return Array.from(this.records.values(), toPluginInfo);
  }

  metadata(name: string): Readonly<PluginMetadata> | undefined {
    return this.records.get(name)?.metadata;
  }

  /** Registered plugins that declare a dependency (required or optional) on `name`. */
  dependentsOf(name: string): string[] {
    const dependents: string[] = [];
    for (const record of this.records.values()) {
      if (record.dependencies.some((dependency) => dependency.name === name)) dependents.push(record.name);
    }
    return dependents;
  }

  /** Names `name` declares as dependencies, in declaration order; `[]` for an unknown plugin. */
  dependenciesOf(name: string): string[] {
    return this.records.get(name)?.dependencies.map((dependency) => dependency.name) ?? [];
  }

  /**
   * The dependency graph with every plugin's state, for docs and admin pages: Mermaid,
   * Graphviz DOT, or the `PluginGraph` as JSON. Dependencies nobody registered appear as
   * `missing` nodes. An unknown format throws a TypeError naming the allowed ones.
   */
  graph(format: PluginGraphFormat = 'mermaid'): string {
    const plugins = Array.from(this.records.values(), (record) => ({
      name: record.name,
      version: record.metadata.version,
      state: record.state,
      dependencies: record.dependencies,
    }));
    return renderPluginGraph(buildPluginGraph(plugins), format);
  }
}

export function toPluginInfo(record: PluginRecord): PluginInfo {
  return {
    name: record.name,
    version: record.metadata.version,
    state: record.state,
    metadata: record.metadata,
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.isolation?.restarting === undefined ? {} : { restarting: record.isolation.restarting }),
  };
}
