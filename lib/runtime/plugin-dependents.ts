import { PluginHasDependentsError } from '../errors/index.js';
import type { PluginRecord } from '../registry/plugin-record.js';
import type { PluginRecordStore } from '../registry/plugin-record.store.js';

/** Which active plugins require a plugin: what unload, uninstall, revert and upgrade must respect. */
export class PluginDependents {
  constructor(
    private readonly records: PluginRecordStore,
    /** the position a plugin started at: dependents stop latest-started first */
    private readonly startIndexOf: (record: PluginRecord) => number,
  ) {}

  /** Active plugins whose required (not optional) dependencies name `record`. */
  direct(record: PluginRecord): PluginRecord[] {
    return [...this.records.values()].filter(
      (candidate) => candidate.state === 'active' && candidate.dependencies.some((dependency) => !dependency.optional && dependency.name === record.name),
    );
  }

  /** Active plugins that require `record`, directly or through others, latest-started first. */
  active(record: PluginRecord): PluginRecord[] {
    const dependents = new Set<PluginRecord>();
    const pending = [record];
    while (pending.length > 0) {
      for (const dependent of this.direct(pending.pop()!)) {
        if (!dependents.has(dependent)) {
          dependents.add(dependent);
          pending.push(dependent);
        }
      }
    }
    return [...dependents].sort((a, b) => this.startIndexOf(b) - this.startIndexOf(a));
  }

  /** `PluginHasDependentsError` naming the plugins that require `record` directly. */
  refuse(record: PluginRecord): never {
    throw new PluginHasDependentsError(record.name, this.direct(record).map((dependent) => dependent.name));
  }
}
