import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginTenantOptions } from './tenant-options.js';
import { handleInRequestTenant, type TenantScope } from './request-tenant-scope.js';
import { DEFAULT_TENANT_HEADER } from './tenant-from-headers.js';
import { tenantHttpError } from './tenant-http-error.js';

/**
 * Runs each HTTP request's handler in its tenant's context (`X-Tenant-Slug`, configurable
 * with `tenantHeader`, or `X-Tenant-ID`), so plugin calls, events and shared data made while
 * handling it see `PluginCallContext.current().tenantId`. Headers naming two different
 * tenants are a 400. PluginModule installs it for the whole application.
 */
@Injectable()
export class PluginTenantInterceptor implements NestInterceptor {
  /** undefined with `tenantHeader: false` */
  private readonly scope?: TenantScope;

  constructor(@Inject(PLUGIN_MODULE_OPTIONS) options: PluginTenantOptions) {
    const header = options.tenantHeader ?? DEFAULT_TENANT_HEADER;
    if (header !== false) this.scope = { header, resolveTenantId: options.resolveTenantId };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.scope === undefined || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>();
    return handleInRequestTenant(request.headers ?? {}, this.scope, next, { failed: tenantHttpError });
  }
}
