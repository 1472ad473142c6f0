import { Injectable } from '@nestjs/common';
import type { PluginState } from '../../interfaces/plugin-state.interface.js';
import { PluginRecordStore } from '../../registry/plugin-record.store.js';
import { ServiceRegistry } from '../registry/service.registry.js';
import type { ServiceInstance, ServiceState } from '../registry/service.types.js';

/**
 * What `isHealthy` reports under its key. Structurally a terminus `HealthIndicatorResult`,
 * declared here so that neither the code nor the published types need `@nestjs/terminus`.
 */
export interface PluginHealthDetails {
  status: 'up' | 'down';
  /** local plugins per state */
  plugins: Partial<Record<PluginState, number>>;
  /** remote services (every tenant's) and active local plugins per state */
  services: Record<ServiceState, number>;
  failedPlugins: string[];
  /** `crm.contacts (plugin-crm, tenant acme)` */
  unavailableServices: string[];
}

export type PluginHealthResult<Key extends string = 'plugins'> = Record<Key, PluginHealthDetails>;

/**
 * A health indicator for `@nestjs/terminus`:
 * `health.check([() => pluginHealth.isHealthy()])`. Down when a plugin is `failed` or a
 * remote service (of any tenant) is UNAVAILABLE; a DEGRADED service is reported, not fatal.
 */
@Injectable()
export class PluginHealthIndicator {
  constructor(
    private readonly records: PluginRecordStore,
    private readonly services: ServiceRegistry,
  ) {}

  isHealthy<const Key extends string = 'plugins'>(key: Key = 'plugins' as Key): PluginHealthResult<Key> {
    const plugins: Partial<Record<PluginState, number>> = {};
    const failedPlugins: string[] = [];
    for (const record of this.records.values()) {
      plugins[record.state] = (plugins[record.state] ?? 0) + 1;
      if (record.state === 'failed') failedPlugins.push(record.name);
    }
    const services: Record<ServiceState, number> = { HEALTHY: 0, DEGRADED: 0, UNAVAILABLE: 0 };
    const unavailableServices: string[] = [];
    for (const instance of this.services.listAllTenants()) {
      services[instance.state]++;
      if (instance.state === 'UNAVAILABLE') unavailableServices.push(describeService(instance));
    }
    const status = failedPlugins.length === 0 && unavailableServices.length === 0 ? 'up' : 'down';
    return { [key]: { status, plugins, services, failedPlugins, unavailableServices } } as PluginHealthResult<Key>;
  }
}

/** `crm.contacts (plugin-crm, tenant acme)`: several tenants may register the same service. */
function describeService(instance: ServiceInstance): string {
  const tenant = instance.tenantId === undefined ? '' : `, tenant ${instance.tenantId}`;
  return `${instance.serviceName} (${instance.pluginId}${tenant})`;
}
