import { Inject, Injectable, Optional } from '@nestjs/common';
import { assertActingAs, PluginCallContext } from '../../context/plugin-call-context.js';
import { UndeclaredDependencyError } from '../../errors/call.errors.js';
import { UndeclaredEndpointError, type ServiceCallDescription } from '../../errors/service.errors.js';
import type { PluginRecord } from '../../registry/plugin-record.js';
import { PluginRegistry } from '../../registry/plugin.registry.js';
import { PluginDependencyRegistry } from '../dependencies/plugin-dependency.registry.js';
import { describeEndpoint, matchesEndpoint, pathSegments } from '../registry/endpoint-pattern.js';
import { localMethodName, toLocalServiceInstance } from '../registry/local-service.js';
import type { RemoteService } from '../registry/remote-service.js';
import { ServiceRegistry } from '../registry/service.registry.js';
import { PLUGIN_SERVICES_OPTIONS, resolveServicesOptions, type PluginServicesOptions } from '../services-options.js';
import type { GatewayRequest, GatewayResponse } from './gateway.types.js';
import { callRemote } from './remote-call.js';
import { remoteTarget } from './remote-request.js';

/**
 * Calls from one plugin to a service of another, local or remote, checked on the way: the
 * caller declared the dependency, the service is healthy for the current tenant, the
 * endpoint is declared. Remote calls carry the tenant and the caller in headers.
 */
@Injectable()
export class PluginGateway {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceRegistry,
    private readonly dependencies: PluginDependencyRegistry,
    private readonly plugins: PluginRegistry,
    @Optional() @Inject(PLUGIN_SERVICES_OPTIONS) options?: PluginServicesOptions,
  ) {
    this.timeoutMs = resolveServicesOptions(options).gatewayTimeoutMs;
  }

  /**
   * Plugin code may only call as itself (`CallerMismatchError`); host code names the caller.
   * Rejects with `UndeclaredDependencyError`, `ServiceNotFoundError`, `UndeclaredEndpointError`,
   * `GatewayTimeoutError` or `RemoteServiceError`; what a local method throws reaches the caller unchanged.
   */
  call<T = unknown>(request: GatewayRequest): Promise<GatewayResponse<T>> {
    // Not `async`: a remote call returns fetch's promise chain as is, one promise layer less per call.
    try {
      const { callerPluginId, targetPluginId, targetServiceName } = request;
      assertActingAs(callerPluginId);
      if (!this.dependencies.declares(callerPluginId, targetPluginId)) throw new UndeclaredDependencyError(callerPluginId, targetPluginId);
      const located = this.services.locate(targetServiceName, targetPluginId);
      const method = request.method.toUpperCase();
      const call: ServiceCallDescription = { pluginId: targetPluginId, serviceName: targetServiceName, method, path: request.path };
      return located.kind === 'local' ? this.callLocalPlugin<T>(located.record, request, call) : this.callRemoteService<T>(located.service, request, call);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async callLocalPlugin<T>(record: PluginRecord, request: GatewayRequest, call: ServiceCallDescription): Promise<GatewayResponse<T>> {
    const methodName = localMethodName(record, call.method, pathSegments(call.path));
    if (methodName === undefined) throw new UndeclaredEndpointError(call, toLocalServiceInstance(record).endpoints.map(describeEndpoint));
    const args = Array.isArray(request.body) ? request.body : request.body === undefined ? [] : [request.body];
    // The tenant flows in from the current context; the callee also sees who called it.
    const result = await PluginCallContext.run({ callerPluginId: request.callerPluginId }, () => this.plugins.call(record.name, methodName, ...args));
    return { status: 200, headers: new Headers(), body: result as T };
  }

  private callRemoteService<T>(service: RemoteService, request: GatewayRequest, call: ServiceCallDescription): Promise<GatewayResponse<T>> {
    const target = remoteTarget(service, request.path, request.query);
    if (target === undefined || !service.patterns.some((pattern) => matchesEndpoint(pattern, call.method, target.segments))) {
      throw new UndeclaredEndpointError(call, service.registration.endpoints.map(describeEndpoint));
    }
    return callRemote<T>(target, call.method, request, call, this.timeoutMs);
  }
}
