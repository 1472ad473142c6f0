import { PluginError } from './plugin.error.js';

/** Which call of which service an error is about. */
export interface ServiceCallDescription {
  readonly pluginId: string;
  readonly serviceName: string;
  readonly method: string;
  readonly path: string;
}

const BODY_LIMIT = 200;

function describeService(call: ServiceCallDescription): string {
  return `Service "${call.serviceName}" of plugin "${call.pluginId}"`;
}

function describeTenant(tenantId: string | undefined): string {
  return tenantId === undefined ? '(no tenant)' : `for tenant "${tenantId}"`;
}

/** A body for a one-line message: JSON or text, cut so an HTML error page cannot flood logs. */
function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}…` : text;
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, DNS…) in its own cause. */
function describeCause(cause: unknown): string {
  const inner = messageOf((cause as { cause?: unknown } | undefined)?.cause);
  return inner === undefined ? (messageOf(cause) ?? String(cause)) : `${messageOf(cause)} (${inner})`;
}

/** Duck-typed: errors from another realm (fetch's, under a VM) are not `instanceof Error` here. */
function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Base of the errors about one call through the gateway: names the service, method and path. */
export abstract class ServiceCallError extends PluginError {
  readonly pluginId: string;
  readonly serviceName: string;
  readonly method: string;
  readonly path: string;

  constructor(call: ServiceCallDescription, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.pluginId = call.pluginId;
    this.serviceName = call.serviceName;
    this.method = call.method;
    this.path = call.path;
  }
}

export class ServiceNotFoundError extends PluginError {
  readonly code = 'PLUGIN_SERVICE_NOT_FOUND';

  override get httpStatus(): number {
    return 404;
  }
  readonly serviceName?: string;
  readonly pluginId?: string;
  readonly serviceId?: string;

  /** by name (discover, the gateway) or by id (heartbeat) */
  constructor(
    lookup: { serviceName: string; pluginId?: string } | { serviceId: string },
    readonly tenantId: string | undefined,
  ) {
    super(`${describeLookup(lookup)} ${describeTenant(tenantId)}`);
    if ('serviceId' in lookup) {
      this.serviceId = lookup.serviceId;
    } else {
      this.serviceName = lookup.serviceName;
      this.pluginId = lookup.pluginId;
    }
  }
}

function describeLookup(lookup: { serviceName: string; pluginId?: string } | { serviceId: string }): string {
  if ('serviceId' in lookup) return `No service with id "${lookup.serviceId}"`;
  const plugin = lookup.pluginId === undefined ? '' : ` of plugin "${lookup.pluginId}"`;
  return `No healthy service "${lookup.serviceName}"${plugin}`;
}

export class UndeclaredEndpointError extends ServiceCallError {
  readonly code = 'PLUGIN_UNDECLARED_ENDPOINT';

  override get httpStatus(): number {
    return 403;
  }

  /** `declaredEndpoints` as `METHOD /path`, for the message and for callers fixing their request */
  constructor(
    call: ServiceCallDescription,
    readonly declaredEndpoints: readonly string[],
  ) {
    const declared = declaredEndpoints.length === 0 ? 'none' : declaredEndpoints.join(', ');
    super(call, `${describeService(call)} declares no endpoint ${call.method} ${call.path} (declared: ${declared})`);
  }
}

export class GatewayTimeoutError extends ServiceCallError {
  readonly code = 'PLUGIN_GATEWAY_TIMEOUT';

  override get httpStatus(): number {
    return 504;
  }

  constructor(
    call: ServiceCallDescription,
    readonly timeoutMs: number,
  ) {
    super(call, `${describeService(call)} did not answer ${call.method} ${call.path} within ${timeoutMs} ms`);
  }
}

/** What went wrong with a remote call: a non-2xx answer, or no answer at all. */
export type RemoteServiceFailure = { status: number; body: unknown } | { cause: unknown };

export class RemoteServiceError extends ServiceCallError {
  readonly code = 'PLUGIN_REMOTE_SERVICE_ERROR';

  override get httpStatus(): number {
    return 502;
  }
  /** the status the service answered; undefined when it could not be reached (a gateway answers 502 then) */
  readonly status?: number;
  /** the parsed answer (JSON, else text); undefined when there was none */
  readonly body?: unknown;

  constructor(call: ServiceCallDescription, failure: RemoteServiceFailure) {
    super(call, describeFailure(call, failure), 'cause' in failure ? { cause: failure.cause } : undefined);
    if ('status' in failure) {
      this.status = failure.status;
      this.body = failure.body;
    }
  }
}

function describeFailure(call: ServiceCallDescription, failure: RemoteServiceFailure): string {
  if ('cause' in failure) return `${describeService(call)} could not be reached for ${call.method} ${call.path}: ${describeCause(failure.cause)}`;
  const body = failure.body === undefined ? '' : `: ${describeBody(failure.body)}`;
  return `${describeService(call)} answered ${failure.status} to ${call.method} ${call.path}${body}`;
}

export class InvalidServiceRegistrationError extends PluginError {
  readonly code = 'PLUGIN_INVALID_SERVICE_REGISTRATION';

  override get httpStatus(): number {
    return 400;
  }

  constructor(readonly problems: readonly string[]) {
    super(`Invalid service registration: ${problems.join('; ')}`);
  }
}

export class InvalidDependencyRegistrationError extends PluginError {
  readonly code = 'PLUGIN_INVALID_DEPENDENCY_REGISTRATION';

  override get httpStatus(): number {
    return 400;
  }

  constructor(readonly problems: readonly string[]) {
    super(`Invalid dependency registration: ${problems.join('; ')}`);
  }
}
