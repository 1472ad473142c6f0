import { Injectable, Optional } from '@nestjs/common';
import { PluginMetrics } from '../observability/metrics/plugin-metrics.js';
import { MethodNotExposedError, PluginNotActiveError } from '../errors/index.js';
import { closestName } from '../metadata/closest-name.js';
import type { ExposedMethod } from './exposed-method.js';
import type { PluginRecord } from './plugin-record.js';

/** The table of registered plugins, shared by the registry, the contexts and the host. */
@Injectable()
export class PluginRecordStore {
  private readonly byName = new Map<string, PluginRecord>();
  private readonly byClass = new Map<Function, PluginRecord>();
  private readonly byController = new Map<Function, PluginRecord>();
  private changes = 0;

  constructor(@Optional() private readonly metrics: PluginMetrics = new PluginMetrics()) {}

  /** Changes whenever a plugin is added or removed, so callers may cache look-ups. */
  get generation(): number {
    return this.changes;
  }

  add(record: PluginRecord): void {
    record.meter = this.metrics.plugin(record.name);
    record.meter.guestMemory = record.isolation?.memoryBytes === undefined ? undefined : () => record.isolation?.memoryBytes?.();
    this.byName.set(record.name, record);
    for (const pluginClass of classesOf(record)) this.byClass.set(pluginClass, record);
    for (const controller of record.controllers) this.byController.set(controller, record);
    this.changes++;
  }

  get(name: string): PluginRecord | undefined {
    return this.byName.get(name);
  }

  /** By the class Nest instantiated or the class the user declared (a runtime load instantiates a fresh subclass). */
  getByClass(pluginClass: Function): PluginRecord | undefined {
    return this.byClass.get(pluginClass);
  }

  /** The plugin whose module declares this controller class. */
  getByController(controller: Function): PluginRecord | undefined {
    return this.byController.get(controller);
  }

  /** In registration order. */
  values(): IterableIterator<PluginRecord> {
    return this.byName.values();
  }

  /** `PluginNotActiveError` for `name`, suggesting a close registered name when `name` is not registered at all. */
  notActiveError(name: string): PluginNotActiveError {
    return new PluginNotActiveError(name, this.byName.has(name) ? undefined : closestName(name, this.byName.keys()));
  }

  /** Forgets an unloaded plugin. */
  delete(record: PluginRecord): void {
    if (this.byName.get(record.name) !== record) return;
    this.byName.delete(record.name);
    for (const pluginClass of classesOf(record)) {
      if (this.byClass.get(pluginClass) === record) this.byClass.delete(pluginClass);
    }
    for (const controller of record.controllers) {
      if (this.byController.get(controller) === record) this.byController.delete(controller);
    }
    this.changes++;
  }
}

function classesOf(record: PluginRecord): Function[] {
  return [record.pluginClass, record.origin.declaredClass];
}

/**
 * The hot path of every call: a state check and a map look-up. Suggestions are computed only
 * on the way to an error; `registered`, when given, lets an unknown plugin name get one.
 */
export function resolveExposedMethod(record: PluginRecord | undefined, pluginName: string, methodName: string, registered?: PluginRecordStore): ExposedMethod {
  if (record === undefined || record.state !== 'active') throw registered?.notActiveError(pluginName) ?? new PluginNotActiveError(pluginName);
  const method = record.methods.get(methodName);
  if (method === undefined) throw new MethodNotExposedError(pluginName, methodName, closestName(methodName, record.methods.keys()));
  return method;
}
