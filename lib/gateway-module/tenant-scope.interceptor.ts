import { BadRequestException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { handleInRequestTenant, type TenantScope } from '../context/request-tenant-scope.js';
import { DEFAULT_TENANT_HEADER } from '../context/tenant-from-headers.js';
import type { PluginTenantOptions } from '../context/tenant-options.js';

/**
 * The gateway's services, calls, shared data and dependencies are per tenant: a request that
 * names none is a 400, one whose headers name two tenants too (`TenantConflictError`), and
 * the handler runs in the tenant it names. Set here rather than left to PluginModule's
 * interceptor, so it holds even with `tenantHeader: false` there.
 */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  private readonly scope: TenantScope;

  constructor(@Inject(PLUGIN_MODULE_OPTIONS) options: PluginTenantOptions) {
    this.scope = { header: options.tenantHeader || DEFAULT_TENANT_HEADER, resolveTenantId: options.resolveTenantId };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    return handleInRequestTenant(headers, this.scope, next, {
      failed: (error) => error,
      missing: () => new BadRequestException(`Missing tenant: send the ${this.scope.header} header (or X-Tenant-ID)`),
    });
  }
}
