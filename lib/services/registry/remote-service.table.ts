import { RemoteService } from './remote-service.js';
import type { RemoteServiceRegistration } from './service.types.js';

/**
 * The remote services of every tenant, by id (heartbeats) and by service name (discovery).
 * No Nest, no clock: times come in as arguments. Services that stop sending heartbeats stay
 * (as UNAVAILABLE, which is what health checks report) until they are deregistered.
 */
export class RemoteServiceTable {
  private readonly byId = new Map<string, RemoteService>();
  private readonly byName = new Map<string, RemoteService[]>();

  /** Registers, or replaces the registration of the same plugin and service for the same tenant, keeping its id. */
  register(registration: RemoteServiceRegistration, tenantId: string | undefined, nowMs: number, newId: () => string): RemoteService {
    const existing = this.find(registration.pluginId, registration.serviceName, tenantId);
    if (existing !== undefined) {
      existing.replace(registration, nowMs);
      return existing;
    }
    const service = new RemoteService(newId(), tenantId, registration, nowMs);
    this.byId.set(service.id, service);
    const named = this.byName.get(registration.serviceName);
    if (named === undefined) this.byName.set(registration.serviceName, [service]);
    else named.push(service);
    return service;
  }

  /** Removes the registration made for exactly this tenant (undefined: the one made outside any tenant). */
  deregister(pluginId: string, serviceName: string, tenantId: string | undefined): boolean {
    const service = this.find(pluginId, serviceName, tenantId);
    if (service === undefined) return false;
    this.byId.delete(service.id);
    const remaining = this.byName.get(serviceName)!.filter((other) => other !== service);
    if (remaining.length === 0) this.byName.delete(serviceName);
    else this.byName.set(serviceName, remaining);
    return true;
  }

  /** Adds a service as stored elsewhere (cluster mode), id and times included. */
  restore(service: RemoteService): void {
    this.byId.set(service.id, service);
    const named = this.byName.get(service.registration.serviceName);
    if (named === undefined) this.byName.set(service.registration.serviceName, [service]);
    else named.push(service);
  }

  get(id: string): RemoteService | undefined {
    return this.byId.get(id);
  }

  /** Every tenant's services of that name, in registration order. */
  named(serviceName: string): readonly RemoteService[] {
    return this.byName.get(serviceName) ?? [];
  }

  /** Every tenant's services, in registration order. */
  values(): IterableIterator<RemoteService> {
    return this.byId.values();
  }

  private find(pluginId: string, serviceName: string, tenantId: string | undefined): RemoteService | undefined {
    return this.named(serviceName).find((service) => service.registration.pluginId === pluginId && service.tenantId === tenantId);
  }
}
