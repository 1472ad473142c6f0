import { PluginCallContext } from '../../context/plugin-call-context.js';

/**
 * The tenant of work done outside any tenant scope (host code, plugin start-up). Empty,
 * so it is never the id of a real tenant: tenant ids come from non-empty headers or
 * `PluginCallContext.run({ tenantId })` with a name.
 */
export const SHARED_DATA_DEFAULT_TENANT = '';

/** The tenant whose rows the current call sees. */
export function currentSharedDataTenant(): string {
  return PluginCallContext.tenantId() ?? SHARED_DATA_DEFAULT_TENANT;
}
