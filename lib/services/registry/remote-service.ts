import { compileEndpoint, type EndpointPattern } from './endpoint-pattern.js';
import type { RemoteServiceRegistration } from './service.types.js';

/** A registered remote service: its registration in force and when it was last heard of. */
export class RemoteService {
  registration!: RemoteServiceRegistration;
  /** the endpoints compiled once per registration, for the gateway's per-call check */
  patterns!: readonly EndpointPattern[];
  /** `baseUrl` without its trailing slash, so a path is appended with exactly one */
  base!: string;
  /** the path part of `base` ('' at the root): a request URL must stay below it */
  basePath!: string;
  registeredAtMs!: number;
  lastHeartbeatMs?: number;

  constructor(
    readonly id: string,
    /** undefined: registered outside any tenant, visible to every tenant */
    readonly tenantId: string | undefined,
    registration: RemoteServiceRegistration,
    nowMs: number,
  ) {
    this.replace(registration, nowMs);
  }

  /** A new registration of the same plugin and service for the same tenant: the id stays. */
  replace(registration: RemoteServiceRegistration, nowMs: number): void {
    this.registration = registration;
    this.patterns = registration.endpoints.map(compileEndpoint);
    this.base = registration.baseUrl.replace(/\/+$/, '');
    this.basePath = new URL(this.base).pathname.replace(/\/+$/, '');
    this.registeredAtMs = nowMs;
    this.lastHeartbeatMs = undefined;
  }

  /** The time the state counts from: the last heartbeat, or the registration before any. */
  get lastSeenMs(): number {
    return this.lastHeartbeatMs ?? this.registeredAtMs;
  }

  isVisibleTo(tenantId: string | undefined): boolean {
    return this.tenantId === undefined || this.tenantId === tenantId;
  }
}
