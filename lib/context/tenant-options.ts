import type { TenantIdResolver } from './tenant-from-headers.js';

/** What the tenant of a request is read with, of `PluginModuleOptions` (documented there). */
export interface PluginTenantOptions {
  tenantHeader?: string | false;
  resolveTenantId?: TenantIdResolver;
}
