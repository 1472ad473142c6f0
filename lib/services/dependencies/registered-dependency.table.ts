import type { DependencyRegistration, ServiceDependency } from './service-dependency.types.js';

/** `[pluginId, dependsOnPluginId]` as JSON: unambiguous whatever characters the ids hold. */
type DependencyKey = string;

/**
 * Registered dependencies per tenant (undefined: registered outside any tenant, seen by
 * every tenant). A tenant's registration of a pair replaces the global one for that tenant.
 */
export class RegisteredDependencyTable {
  private readonly byTenant = new Map<string | undefined, Map<DependencyKey, ServiceDependency>>();

  /** Stores each declaration, replacing an earlier one of the same pair for the same tenant. */
  register(registrations: readonly DependencyRegistration[], tenantId: string | undefined): ServiceDependency[] {
    let table = this.byTenant.get(tenantId);
    if (table === undefined) this.byTenant.set(tenantId, (table = new Map()));
    const stored = registrations.map((registration) => toServiceDependency(registration, tenantId));
    for (const dependency of stored) table.set(keyOf(dependency.pluginId, dependency.dependsOnPluginId), dependency);
    return stored;
  }

  /** The declarations the tenant sees: its own, and the global ones it has not replaced. */
  visibleTo(tenantId: string | undefined): ServiceDependency[] {
    const visible = new Map(this.byTenant.get(undefined));
    if (tenantId !== undefined) for (const [key, dependency] of this.byTenant.get(tenantId) ?? []) visible.set(key, dependency);
    return [...visible.values()];
  }

  /** One declaration the tenant sees, if any: the gateway asks this on every call. */
  find(pluginId: string, dependsOnPluginId: string, tenantId: string | undefined): ServiceDependency | undefined {
    const key = keyOf(pluginId, dependsOnPluginId);
    return (tenantId === undefined ? undefined : this.byTenant.get(tenantId)?.get(key)) ?? this.byTenant.get(undefined)?.get(key);
  }
}

function keyOf(pluginId: string, dependsOnPluginId: string): DependencyKey {
  return JSON.stringify([pluginId, dependsOnPluginId]);
}

/** Frozen: the table hands its entries out as they are. */
function toServiceDependency(registration: DependencyRegistration, tenantId: string | undefined): ServiceDependency {
  return Object.freeze({
    pluginId: registration.pluginId,
    dependsOnPluginId: registration.dependsOnPluginId,
    version: registration.version,
    required: registration.required ?? true,
    ...(registration.reason === undefined ? {} : { reason: registration.reason }),
    source: 'registered',
    ...(tenantId === undefined ? {} : { tenantId }),
  });
}
