import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import type { PluginModuleOptions } from '../interfaces/plugin-module-options.interface.js';
import { PluginCallContext } from './plugin-call-context.js';
import { DEFAULT_TENANT_HEADER, tenantFromHeaders } from './tenant-from-headers.js';

/**
 * Runs each HTTP request's handler in its tenant's context (`X-Tenant-Slug`, configurable
 * with `tenantHeader`), so plugin calls, events and shared data made while handling it see
 * `PluginCallContext.current().tenantId`. PluginModule installs it for the whole application.
 */
@Injectable()
export class PluginTenantInterceptor implements NestInterceptor {
  private readonly tenantHeader: string | false;

  constructor(@Inject(PLUGIN_MODULE_OPTIONS) options: PluginModuleOptions) {
    this.tenantHeader = options.tenantHeader ?? DEFAULT_TENANT_HEADER;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.tenantHeader === false || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>();
    const tenant = tenantFromHeaders(request.headers ?? {}, this.tenantHeader);
    if (tenant === undefined) return next.handle();
    // Subscribing inside run() puts the handler, and everything it awaits, in the tenant's context.
    return new Observable((subscriber) => PluginCallContext.run(tenant, () => next.handle().subscribe(subscriber)));
  }
}
