import { PluginError } from './plugin.error.js';

/**
 * `X-Tenant-ID` and the tenant slug header name different tenants. The values are left out
 * of the message: it would tell the caller which id a slug resolves to.
 */
export class TenantConflictError extends PluginError {
  readonly code = 'PLUGIN_TENANT_CONFLICT';

  override get httpStatus(): number {
    return 400;
  }

  constructor(readonly slugHeader: string) {
    super(`X-Tenant-ID and ${slugHeader} name different tenants: send one of them, or both for the same tenant`);
  }
}
