import { TenantConflictError } from '../errors/tenant.errors.js';
import type { PluginCallContextData } from './plugin-call-context.js';

export const DEFAULT_TENANT_HEADER = 'x-tenant-slug';
const TENANT_ID_HEADER = 'x-tenant-id';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The host's tenant resolution: the id of the tenant a slug names, or undefined when the
 * slug is not one the host maps (it then names the tenant whose id it is, as without a resolver).
 */
export type TenantIdResolver = (tenantSlug: string) => string | undefined | PromiseLike<string | undefined>;

/** The tenant a request is for. */
export type RequestTenant = Pick<PluginCallContextData, 'tenantId' | 'tenantSlug'>;

/**
 * The tenant an HTTP request is for: the id from `X-Tenant-ID`, or the one the slug in the
 * tenant header (configurable) resolves to — the slug itself without `resolveTenantId`.
 * Undefined when the request names no tenant. When both headers are sent they must name
 * the same tenant, else `TenantConflictError`: a request acts for one tenant only.
 * Synchronous unless the resolver answers with a promise.
 */
export function tenantFromHeaders(
  headers: Headers,
  tenantHeader: string,
  resolveTenantId?: TenantIdResolver,
): RequestTenant | undefined | PromiseLike<RequestTenant> {
  const tenantSlug = firstValue(headers[tenantHeader.toLowerCase()]);
  const tenantId = firstValue(headers[TENANT_ID_HEADER]);
  if (tenantSlug === undefined) return tenantId === undefined ? undefined : { tenantId };
  const settle = (resolved: string | undefined): RequestTenant => {
    const slugTenantId = resolved ?? tenantSlug;
    if (tenantId !== undefined && tenantId !== slugTenantId) throw new TenantConflictError(tenantHeader);
    return { tenantId: slugTenantId, tenantSlug };
  };
  const resolved = resolveTenantId?.(tenantSlug);
  return isPromiseLike(resolved) ? resolved.then(settle) : settle(resolved);
}

export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
