import type { DependencyRegistration } from './dependencies/service-dependency.types.js';
import type { RemoteService } from './registry/remote-service.js';
import type { RemoteServiceRegistration } from './registry/service.types.js';

/**
 * Where the registries publish what is registered on this instance, so that the other
 * instances see it: in cluster mode the `Cluster`, which stores it; on a single instance there
 * is none. Each call returns at once; the publisher keeps the writes in order.
 */
export interface RegistryPublisher {
  recordService(service: RemoteService): void;
  recordDeregistration(tenantId: string | undefined, pluginId: string, serviceName: string): void;
  recordHeartbeat(serviceId: string, heartbeatAtMs: number): void;
  recordDependencies(tenantId: string | undefined, registrations: readonly DependencyRegistration[]): void;
}

/** Injection token of the `RegistryPublisher`, or null when `forRoot({ cluster })` is not set. */
export const REGISTRY_PUBLISHER = Symbol('nestjs-plugins:RegistryPublisher');

/** A remote registration as published, read back by each instance (`ServiceRegistry.restoreRemote`). */
export interface StoredService {
  id: string;
  tenantId: string | undefined;
  registration: RemoteServiceRegistration;
  registeredAtMs: number;
  heartbeatAtMs: number | undefined;
}

/** A declared dependency as published, read back by each instance (`PluginDependencyRegistry.restoreRegistered`). */
export interface StoredDependency {
  tenantId: string | undefined;
  registration: DependencyRegistration;
}
