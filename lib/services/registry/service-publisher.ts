import type { RemoteService } from './remote-service.js';
import type { RemoteServiceRegistration } from './service.types.js';

/**
 * Where `ServiceRegistry` publishes the remote registrations made on this instance, so that
 * the other instances see them: in cluster mode the `Cluster`, which stores them; on a single
 * instance there is none. Each call returns at once; the publisher keeps the writes in order.
 */
export interface ServicePublisher {
  recordService(service: RemoteService): void;
  recordDeregistration(tenantId: string | undefined, pluginId: string, serviceName: string): void;
  recordHeartbeat(serviceId: string, heartbeatAtMs: number): void;
}

/** Injection token of the `ServicePublisher`, or null when `forRoot({ cluster })` is not set. */
export const SERVICE_PUBLISHER = Symbol('nestjs-plugins:ServicePublisher');

/** A remote registration as published, read back by each instance (`ServiceRegistry.restoreRemote`). */
export interface StoredService {
  id: string;
  tenantId: string | undefined;
  registration: RemoteServiceRegistration;
  registeredAtMs: number;
  heartbeatAtMs: number | undefined;
}
