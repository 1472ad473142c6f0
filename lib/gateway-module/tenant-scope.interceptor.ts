import { BadRequestException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, Observable, switchMap } from 'rxjs';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginCallContext } from '../context/plugin-call-context.js';
import { DEFAULT_TENANT_HEADER, isPromiseLike, tenantFromHeaders, type RequestTenant, type TenantIdResolver } from '../context/tenant-from-headers.js';
import type { PluginModuleOptions } from '../interfaces/plugin-module-options.interface.js';

/**
 * The gateway's services, calls, shared data and dependencies are per tenant: a request that
 * names none is a 400, one whose headers name two tenants too (`TenantConflictError`), and
 * the handler runs in the tenant it names. Set here rather than left to PluginModule's
 * interceptor, so it holds even with `tenantHeader: false` there.
 */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  private readonly header: string;
  private readonly resolveTenantId?: TenantIdResolver;

  constructor(@Inject(PLUGIN_MODULE_OPTIONS) options: PluginModuleOptions) {
    this.header = options.tenantHeader || DEFAULT_TENANT_HEADER;
    this.resolveTenantId = options.resolveTenantId;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const tenant = tenantFromHeaders(headers, this.header, this.resolveTenantId);
    return isPromiseLike(tenant) ? from(tenant).pipe(switchMap((resolved) => this.handleIn(resolved, next))) : this.handleIn(tenant, next);
  }

  private handleIn(tenant: RequestTenant | undefined, next: CallHandler): Observable<unknown> {
    if (tenant === undefined) throw new BadRequestException(`Missing tenant: send the ${this.header} header (or X-Tenant-ID)`);
    return new Observable((subscriber) => PluginCallContext.run(tenant, () => next.handle().subscribe(subscriber)));
  }
}
