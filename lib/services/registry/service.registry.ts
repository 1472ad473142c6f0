import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { SERVICE_PUBLISHER, type ServicePublisher, type StoredService } from './service-publisher.js';
import { assertActingAs, PluginCallContext } from '../../context/plugin-call-context.js';
import { InvalidServiceRegistrationError, ServiceNotFoundError } from '../../errors/service.errors.js';
import type { PluginRecord } from '../../registry/plugin-record.js';
import { PluginRecordStore } from '../../registry/plugin-record.store.js';
import { PLUGIN_SERVICES_OPTIONS, resolveServicesOptions, type PluginServicesOptions, type ResolvedServicesOptions } from '../services-options.js';
import { toLocalServiceInstance } from './local-service.js';
import { RemoteService } from './remote-service.js';
import { RemoteServiceTable } from './remote-service.table.js';
import { serviceStateAt } from './service-state.js';
import type { RemoteServiceRegistration, ServiceInstance, ServiceQuery, ServiceState } from './service.types.js';
import { validateRegistration } from './validate-registration.js';

/** A healthy service found for a call: a local plugin's record or a remote registration. */
export type LocatedService = { readonly kind: 'local'; readonly record: PluginRecord } | { readonly kind: 'remote'; readonly service: RemoteService };

/**
 * Local plugins and remote services, as the current tenant (`PluginCallContext`) sees them:
 * its own remote registrations, those made outside any tenant, and every active local
 * plugin. Code running outside any tenant sees only the latter two.
 */
@Injectable()
export class ServiceRegistry {
  /** Replaced as a whole by each cluster sync; in memory either way, for the gateway's hot path. */
  private remote = new RemoteServiceTable();
  private readonly options: ResolvedServicesOptions;

  constructor(
    private readonly records: PluginRecordStore,
    @Optional() @Inject(PLUGIN_SERVICES_OPTIONS) options?: PluginServicesOptions,
    /** Cluster mode: registrations and heartbeats are also stored, and read back by `ClusterRegistrySync`. */
    @Optional() @Inject(SERVICE_PUBLISHER) private readonly publisher: ServicePublisher | null = null,
  ) {
    this.options = resolveServicesOptions(options);
  }

  /**
   * Registers a remote service for the current tenant (none: for every tenant). Registering
   * the same plugin and service again for the same tenant replaces it and keeps its id.
   */
  register(registration: RemoteServiceRegistration): ServiceInstance {
    const valid = validateRegistration(registration);
    assertActingAs(valid.pluginId);
    // A remote process must not answer calls meant for a local plugin while that plugin is stopped.
    if (this.records.get(valid.pluginId) !== undefined) {
      throw new InvalidServiceRegistrationError([`pluginId "${valid.pluginId}" is the name of a local plugin`]);
    }
    const nowMs = this.options.now();
    const service = this.remote.register(valid, PluginCallContext.tenantId(), nowMs, randomUUID);
    this.publisher?.recordService(service);
    return this.toInstance(service, nowMs);
  }

  /**
   * The plugins that hold a service name, whatever the tenant: the local plugin of that name and
   * the owners of its remote registrations. What a plugin key may not take over.
   */
  holdersOf(serviceName: string): Set<string> {
    const holders = new Set(this.remote.named(serviceName).map((service) => service.registration.pluginId));
    if (this.records.get(serviceName) !== undefined) holders.add(serviceName);
    return holders;
  }

  /** Removes the current tenant's registration (none: the one made outside any tenant); false when there was none. */
  deregister(pluginId: string, serviceName: string): boolean {
    assertActingAs(pluginId);
    const tenantId = PluginCallContext.tenantId();
    const removed = this.remote.deregister(pluginId, serviceName, tenantId);
    // Stored even when this instance had not heard of it yet: another one may have.
    this.publisher?.recordDeregistration(tenantId, pluginId, serviceName);
    return removed;
  }

  /** Marks a remote service as alive now: it is HEALTHY again whatever state it was in. */
  heartbeat(serviceId: string): ServiceInstance {
    const tenantId = PluginCallContext.tenantId();
    const service = this.remote.get(serviceId);
    if (service === undefined || !service.isVisibleTo(tenantId)) throw new ServiceNotFoundError({ serviceId }, tenantId);
    assertActingAs(service.registration.pluginId);
    const nowMs = this.options.now();
    service.lastHeartbeatMs = nowMs;
    this.publisher?.recordHeartbeat(serviceId, nowMs);
    return this.toInstance(service, nowMs);
  }

  /**
   * Cluster mode: the remote services as stored, replacing this instance's view. A heartbeat
   * heard here later than the stored one is kept (its row may not be written yet).
   */
  restoreRemote(stored: readonly StoredService[]): void {
    const table = new RemoteServiceTable();
    for (const { id, tenantId, registration, registeredAtMs, heartbeatAtMs } of stored) {
      const service = new RemoteService(id, tenantId, registration, registeredAtMs);
      const local = this.remote.get(id)?.lastHeartbeatMs;
      service.lastHeartbeatMs = local !== undefined && (heartbeatAtMs === undefined || local > heartbeatAtMs) ? local : heartbeatAtMs;
      table.restore(service);
    }
    this.remote = table;
  }

  /**
   * A HEALTHY instance of the service (of that plugin, when given): the local plugin when
   * there is one, else the remote one heard from most recently. `ServiceNotFoundError` when none.
   */
  discover(serviceName: string, pluginId?: string): ServiceInstance {
    const located = this.locate(serviceName, pluginId);
    return located.kind === 'local' ? toLocalServiceInstance(located.record) : this.toInstance(located.service, this.options.now());
  }

  /** `discover` without building the instance: what the gateway calls on every request. */
  locate(serviceName: string, pluginId?: string): LocatedService {
    const local = this.records.get(serviceName);
    if (local !== undefined && local.state === 'active' && (pluginId === undefined || pluginId === local.name)) {
      return { kind: 'local', record: local };
    }
    const tenantId = PluginCallContext.tenantId();
    const nowMs = this.options.now();
    let freshest: RemoteService | undefined;
    for (const service of this.remote.named(serviceName)) {
      if (!service.isVisibleTo(tenantId) || (pluginId !== undefined && service.registration.pluginId !== pluginId)) continue;
      if (this.stateOf(service, nowMs) !== 'HEALTHY') continue;
      if (freshest === undefined || service.lastSeenMs > freshest.lastSeenMs) freshest = service;
    }
    if (freshest === undefined) throw new ServiceNotFoundError({ serviceName, pluginId }, tenantId);
    return { kind: 'remote', service: freshest };
  }

  /** The services the current tenant sees, with their states: local plugins first, then remote ones, each in registration order. */
  list(query: ServiceQuery = {}): ServiceInstance[] {
    const tenantId = PluginCallContext.tenantId();
    return this.collect(query, (service) => service.isVisibleTo(tenantId));
  }

  /** Every tenant's services: for host-level views such as health checks, never for a tenant's request. */
  listAllTenants(query: ServiceQuery = {}): ServiceInstance[] {
    return this.collect(query, () => true);
  }

  private collect(query: ServiceQuery, visible: (service: RemoteService) => boolean): ServiceInstance[] {
    const nowMs = this.options.now();
    const instances: ServiceInstance[] = [];
    for (const record of this.records.values()) {
      if (record.state === 'active') instances.push(toLocalServiceInstance(record));
    }
    for (const service of this.remote.values()) {
      if (visible(service)) instances.push(this.toInstance(service, nowMs));
    }
    return instances.filter(
      (instance) =>
        (query.serviceName === undefined || instance.serviceName === query.serviceName) &&
        (query.pluginId === undefined || instance.pluginId === query.pluginId) &&
        (query.state === undefined || instance.state === query.state),
    );
  }

  private stateOf(service: RemoteService, nowMs: number): ServiceState {
    return serviceStateAt(service.lastSeenMs, nowMs, this.options.staleAfterMs);
  }

  private toInstance(service: RemoteService, nowMs: number): ServiceInstance {
    const { pluginId, serviceName, version, baseUrl, endpoints, metadata } = service.registration;
    return {
      id: service.id,
      pluginId,
      serviceName,
      version,
      kind: 'remote',
      baseUrl,
      endpoints: endpoints.map((endpoint) => ({ ...endpoint })),
      state: this.stateOf(service, nowMs),
      ...(service.tenantId === undefined ? {} : { tenantId: service.tenantId }),
      registeredAt: new Date(service.registeredAtMs).toISOString(),
      ...(service.lastHeartbeatMs === undefined ? {} : { lastHeartbeatAt: new Date(service.lastHeartbeatMs).toISOString() }),
      ...(metadata === undefined ? {} : { metadata: { ...metadata } }),
    };
  }
}
