import { TenantConflictError } from '../../../lib/errors/tenant.errors.js';
import { tenantFromHeaders } from '../../../lib/context/tenant-from-headers.js';

const SLUG = 'x-tenant-slug';

describe('tenantFromHeaders', () => {
  it('reads the id, the slug (its own id without a resolver), or nothing', () => {
    expect(tenantFromHeaders({}, SLUG)).toBeUndefined();
    expect(tenantFromHeaders({ 'x-tenant-slug': '  ', 'x-tenant-id': '' }, SLUG)).toBeUndefined();
    expect(tenantFromHeaders({ 'x-tenant-id': 'tenant-42' }, SLUG)).toEqual({ tenantId: 'tenant-42' });
    expect(tenantFromHeaders({ 'x-tenant-slug': ' acme ' }, SLUG)).toEqual({ tenantId: 'acme', tenantSlug: 'acme' });
    expect(tenantFromHeaders({ 'x-org': 'acme' }, 'X-Org')).toEqual({ tenantId: 'acme', tenantSlug: 'acme' });
  });

  it('accepts both headers naming one tenant, and refuses two tenants without echoing either', () => {
    expect(tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'acme' }, SLUG)).toEqual({ tenantId: 'acme', tenantSlug: 'acme' });
    const conflict = () => tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'globex' }, SLUG);
    expect(conflict).toThrow(TenantConflictError);
    expect(conflict).toThrow('X-Tenant-ID and x-tenant-slug name different tenants: send one of them, or both for the same tenant');
  });

  it('resolves the slug with the host resolver, synchronously when it answers synchronously', () => {
    const resolve = (slug: string) => ({ acme: 'tenant-42' })[slug];
    expect(tenantFromHeaders({ 'x-tenant-slug': 'acme' }, SLUG, resolve)).toEqual({ tenantId: 'tenant-42', tenantSlug: 'acme' });
    expect(tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'tenant-42' }, SLUG, resolve)).toEqual({ tenantId: 'tenant-42', tenantSlug: 'acme' });
    expect(tenantFromHeaders({ 'x-tenant-slug': 'globex' }, SLUG, resolve)).toEqual({ tenantId: 'globex', tenantSlug: 'globex' });
    expect(() => tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'acme' }, SLUG, resolve)).toThrow(TenantConflictError);
  });

  it('waits for an async resolver, and rejects a conflict it reveals', async () => {
    const resolve = async (slug: string) => ({ acme: 'tenant-42' })[slug];
    await expect(tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'tenant-42' }, SLUG, resolve)).resolves.toEqual({ tenantId: 'tenant-42', tenantSlug: 'acme' });
    await expect(tenantFromHeaders({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'tenant-7' }, SLUG, resolve)).rejects.toBeInstanceOf(TenantConflictError);
  });

  it('never calls the resolver when no slug is sent', () => {
    const asked: string[] = [];
    const resolve = (slug: string) => void asked.push(slug);
    expect(tenantFromHeaders({ 'x-tenant-id': 'tenant-42' }, SLUG, resolve)).toEqual({ tenantId: 'tenant-42' });
    expect(asked).toEqual([]);
  });
});
