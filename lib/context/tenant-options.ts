import type { TenantIdResolver } from './tenant-from-headers.js';

/** What the tenant of a request is read with, of `PluginModuleOptions`. */
export interface PluginTenantOptions {
  /**
   * The request header naming the tenant (`X-Tenant-Slug` by default; `X-Tenant-ID` is read
   * too). Requests run in that tenant's `PluginCallContext`. `false` turns this off.
   */
  tenantHeader?: string | false;
  /**
   * The id of the tenant a slug names, when slugs and ids differ (undefined: the slug is the
   * id, as without this option). A request sending `X-Tenant-ID` and a slug that resolve to
   * different tenants is a 400 (`TenantConflictError`). May answer with a promise; throw an
   * `HttpException` to refuse an unknown slug.
   */
  resolveTenantId?: TenantIdResolver;
}
