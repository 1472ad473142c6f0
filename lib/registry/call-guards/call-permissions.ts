import { PluginPermissionError } from '../../errors/index.js';
import type { PluginRecordStore } from '../plugin-record.store.js';

/** Which permissions the host grants: per plugin name, or everything a plugin requests. */
export type PermissionGrants = Readonly<Record<string, readonly string[]>> | 'all';

/**
 * What each caller holds: the permissions it requests in `@Plugin({ permissions })` that the
 * host also grants. Held sets are cached per caller until the set of plugins changes.
 */
export class CallPermissions {
  private held = new Map<string, ReadonlySet<string>>();
  private generation = -1;

  constructor(
    private readonly grants: PermissionGrants,
    private readonly records: PluginRecordStore,
  ) {}

  /** Host code (no calling plugin) is not restricted. */
  assertHeld(callerPluginId: string | undefined, required: readonly string[], pluginName: string, methodName: string): void {
    if (callerPluginId === undefined) return;
    const held = this.heldBy(callerPluginId);
    for (const permission of required) {
      if (!held.has(permission)) throw new PluginPermissionError(callerPluginId, permission, pluginName, methodName);
    }
  }

  private heldBy(callerPluginId: string): ReadonlySet<string> {
    if (this.generation !== this.records.generation) {
      this.held = new Map();
      this.generation = this.records.generation;
    }
    let held = this.held.get(callerPluginId);
    if (held === undefined) {
      const requested = this.records.get(callerPluginId)?.metadata.permissions ?? [];
      const granted = this.grants === 'all' ? undefined : new Set(this.grants[callerPluginId] ?? []);
      held = new Set(granted === undefined ? requested : requested.filter((permission) => granted.has(permission)));
      this.held.set(callerPluginId, held);
    }
    return held;
  }
}
