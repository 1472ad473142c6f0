import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, Observable, switchMap, throwError } from 'rxjs';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginModuleOptions } from '../interfaces/plugin-module-options.interface.js';
import { PluginCallContext } from './plugin-call-context.js';
import { DEFAULT_TENANT_HEADER, isPromiseLike, tenantFromHeaders, type RequestTenant, type TenantIdResolver } from './tenant-from-headers.js';
import { tenantHttpError } from './tenant-http-error.js';

/**
 * Runs each HTTP request's handler in its tenant's context (`X-Tenant-Slug`, configurable
 * with `tenantHeader`, or `X-Tenant-ID`), so plugin calls, events and shared data made while
 * handling it see `PluginCallContext.current().tenantId`. Headers naming two different
 * tenants are a 400. PluginModule installs it for the whole application.
 */
@Injectable()
export class PluginTenantInterceptor implements NestInterceptor {
  private readonly tenantHeader: string | false;
  private readonly resolveTenantId?: TenantIdResolver;

  constructor(@Inject(PLUGIN_MODULE_OPTIONS) options: PluginModuleOptions) {
    this.tenantHeader = options.tenantHeader ?? DEFAULT_TENANT_HEADER;
    this.resolveTenantId = options.resolveTenantId;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.tenantHeader === false || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>();
    let tenant: ReturnType<typeof tenantFromHeaders>;
    try {
      tenant = tenantFromHeaders(request.headers ?? {}, this.tenantHeader, this.resolveTenantId);
    } catch (error) {
      throw tenantHttpError(error);
    }
    if (!isPromiseLike(tenant)) return handleIn(tenant, next);
    return from(tenant).pipe(
      catchError((error: unknown) => throwError(() => tenantHttpError(error))),
      switchMap((resolved) => handleIn(resolved, next)),
    );
  }
}

function handleIn(tenant: RequestTenant | undefined, next: CallHandler): Observable<unknown> {
  if (tenant === undefined) return next.handle();
  // Subscribing inside run() puts the handler, and everything it awaits, in the tenant's context.
  return new Observable((subscriber) => PluginCallContext.run(tenant, () => next.handle().subscribe(subscriber)));
}
