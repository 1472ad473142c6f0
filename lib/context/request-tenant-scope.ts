import type { CallHandler } from '@nestjs/common';
import { Observable, Subscription } from 'rxjs';
import { PluginCallContext } from './plugin-call-context.js';
import { isPromiseLike, tenantFromHeaders, type RequestTenant, type TenantIdResolver } from './tenant-from-headers.js';

/** How an entry point reads a request's tenant: the slug header it honours and the host's resolver. */
export interface TenantScope {
  readonly header: string;
  readonly resolveTenantId?: TenantIdResolver;
}

type Headers = Parameters<typeof tenantFromHeaders>[0];

/**
 * The tenant scoping of every HTTP entry point (PluginModule's interceptor, the gateway's, plugin
 * routes): calls `handle` with the tenant the request's headers name, inside that tenant's
 * context, so what it starts sees `PluginCallContext.current().tenantId` (outside any tenant
 * when they name none). At once, or when the resolver answers; a conflict or the resolver's
 * error goes to `fail` instead.
 */
export function inRequestTenant(headers: Headers, scope: TenantScope, handle: (tenant: RequestTenant | undefined) => void, fail: (error: unknown) => void): void {
  let tenant: ReturnType<typeof tenantFromHeaders>;
  try {
    tenant = tenantFromHeaders(headers, scope.header, scope.resolveTenantId);
  } catch (error) {
    return fail(error);
  }
  const enter = (resolved: RequestTenant | undefined): void => (resolved === undefined ? handle(undefined) : PluginCallContext.run(resolved, () => handle(resolved)));
  if (isPromiseLike(tenant)) tenant.then(enter, fail);
  else enter(tenant);
}

/** How an interceptor answers what `inRequestTenant` refuses: the error it passes on, and for a request naming no tenant, one when that is refused too. */
export interface TenantRefusals {
  readonly failed: (error: unknown) => unknown;
  readonly missing?: () => unknown;
}

/**
 * An interceptor's `next.handle()`, subscribed in the request's tenant (`inRequestTenant`):
 * subscribing inside the context puts the handler, and everything it awaits, in it.
 */
export function handleInRequestTenant(headers: Headers, scope: TenantScope, next: CallHandler, refusals: TenantRefusals): Observable<unknown> {
  return new Observable((subscriber) => {
    const handled = new Subscription();
    inRequestTenant(
      headers,
      scope,
      (tenant) => {
        if (tenant === undefined && refusals.missing !== undefined) subscriber.error(refusals.missing());
        else handled.add(next.handle().subscribe(subscriber));
      },
      (error) => subscriber.error(refusals.failed(error)),
    );
    return handled;
  });
}
