import { Observable } from 'rxjs';
import { PluginCallContext } from '../../../lib/context/plugin-call-context.js';
import { handleInRequestTenant, inRequestTenant } from '../../../lib/context/request-tenant-scope.js';
import { TenantConflictError } from '../../../lib/errors/index.js';

/** The one tenant scoping of the HTTP entry points: the interceptors and plugin routes. */
describe('scoping a request to its tenant', () => {
  const scope = { header: 'x-tenant-slug', resolveTenantId: async (slug: string) => (slug === 'acme' ? 'tenant-1' : undefined) };
  const tenantSeen = (headers: Record<string, string>) =>
    new Promise((resolve, reject) => inRequestTenant(headers, scope, () => resolve(PluginCallContext.current()?.tenantId ?? null), reject));

  it('runs the handler in the tenant the headers name, resolved, and outside any tenant when they name none', async () => {
    await expect(tenantSeen({ 'x-tenant-slug': 'acme' })).resolves.toBe('tenant-1');
    await expect(tenantSeen({ 'x-tenant-id': 'tenant-2' })).resolves.toBe('tenant-2');
    await expect(tenantSeen({})).resolves.toBeNull();
  });

  it('hands a conflict to fail, and does not run the handler', async () => {
    await expect(tenantSeen({ 'x-tenant-slug': 'acme', 'x-tenant-id': 'tenant-2' })).rejects.toBeInstanceOf(TenantConflictError);
  });

  it("stops the interceptor's handler when the request's subscriber goes away", () => {
    let stopped = false;
    const next = { handle: () => new Observable<unknown>(() => () => (stopped = true)) };
    const subscription = handleInRequestTenant({ 'x-tenant-id': 'tenant-2' }, scope, next, { failed: (error) => error }).subscribe();
    subscription.unsubscribe();
    expect(stopped).toBe(true);
  });

  it('answers a request naming no tenant with the refusal the interceptor gives', async () => {
    const next = { handle: () => new Observable<unknown>((subscriber) => subscriber.complete()) };
    const refused = new Promise((resolve) =>
      handleInRequestTenant({}, scope, next, { failed: (error) => error, missing: () => 'missing' }).subscribe({ error: resolve }),
    );
    await expect(refused).resolves.toBe('missing');
  });
});
