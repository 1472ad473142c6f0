/** Computed from the last heartbeat: a local plugin is HEALTHY while active, and not listed otherwise. */
export type ServiceState = 'HEALTHY' | 'DEGRADED' | 'UNAVAILABLE';

export type ServiceEndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ServiceEndpoint {
  method: ServiceEndpointMethod;
  /** relative to the service's base URL; `:name` segments match any one segment (`/contacts/:id`) */
  path: string;
  description?: string;
}

/** What a remote plugin (a separate process) sends to register one of its services. */
export interface RemoteServiceRegistration {
  pluginId: string;
  /** e.g. `crm.contacts` */
  serviceName: string;
  /** valid semver */
  version: string;
  /** http(s) URL the endpoint paths are appended to */
  baseUrl: string;
  /** the only requests the gateway forwards to this service */
  endpoints: ServiceEndpoint[];
  metadata?: Record<string, unknown>;
}

/** One service as `discover` and `list` show it. */
export interface ServiceInstance {
  /** a UUID for a remote service (heartbeats name it); `local:<plugin name>` for a local plugin */
  id: string;
  pluginId: string;
  serviceName: string;
  version: string;
  kind: 'local' | 'remote';
  /** remote only */
  baseUrl?: string;
  /** a local plugin's exposed methods are `POST /<methodName>` endpoints */
  endpoints: ServiceEndpoint[];
  state: ServiceState;
  /** the tenant a remote service was registered for; absent: visible to every tenant (local plugins always are) */
  tenantId?: string;
  /** remote only: ISO time of the registration in force (a re-registration replaces it) */
  registeredAt?: string;
  /** remote only: ISO time of the last heartbeat; absent until the first one (the state then counts from `registeredAt`) */
  lastHeartbeatAt?: string;
  metadata?: Record<string, unknown>;
}

/** Filters of `ServiceRegistry.list`; every given field must match. */
export interface ServiceQuery {
  serviceName?: string;
  pluginId?: string;
  state?: ServiceState;
}
