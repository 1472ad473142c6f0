import type { PluginCallContextData } from './plugin-call-context.js';

export const DEFAULT_TENANT_HEADER = 'x-tenant-slug';
const TENANT_ID_HEADER = 'x-tenant-id';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The tenant an HTTP request is for: the slug from the tenant header (configurable), the id
 * from `X-Tenant-ID` (the slug when absent). Undefined when the request names no tenant.
 */
export function tenantFromHeaders(headers: Headers, tenantHeader: string): PluginCallContextData | undefined {
  const tenantSlug = firstValue(headers[tenantHeader.toLowerCase()]);
  const tenantId = firstValue(headers[TENANT_ID_HEADER]);
  if (tenantSlug === undefined && tenantId === undefined) return undefined;
  return { ...(tenantId === undefined ? {} : { tenantId }), ...(tenantSlug === undefined ? {} : { tenantSlug }) };
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
