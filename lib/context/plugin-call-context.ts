import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling and for which tenant; survives `await` (AsyncLocalStorage). */
export interface PluginCallContextData {
  /** the plugin that made the call through its `ctx.call` or a dependency handle; undefined for host code */
  readonly callerPluginId?: string;
  /** the tenant the work is for; set whenever a tenant is (from `tenantSlug` when only that is given) */
  readonly tenantId?: string;
  /** the tenant's slug, when it came as one (the `X-Tenant-Slug` header) */
  readonly tenantSlug?: string;
}

interface TenantScope {
  readonly tenantId: string;
  readonly tenantSlug?: string;
}

// Two stores, not one object: a plugin call then only sets the caller, and the tenant
// flows through untouched, so `ctx.call` never reads the current context or allocates.
const callerStorage = new AsyncLocalStorage<string>();
const tenantStorage = new AsyncLocalStorage<TenantScope>();

export class PluginCallContext {
  /** The context of the code running now; empty outside any plugin call or tenant scope. */
  static current(): PluginCallContextData {
    const callerPluginId = callerStorage.getStore();
    const tenant = tenantStorage.getStore();
    return {
      ...(callerPluginId === undefined ? {} : { callerPluginId }),
      ...tenant,
    };
  }

  /** The calling plugin, without building the whole context object (guarded methods read it on every call). */
  static callerPluginId(): string | undefined {
    return callerStorage.getStore();
  }

  /** The current tenant id, without building the whole context object (shared data reads it on every call). */
  static tenantId(): string | undefined {
    return tenantStorage.getStore()?.tenantId;
  }

  /**
   * Runs `fn` with the given fields replacing those of the current context. A tenant given
   * by `tenantId`, `tenantSlug` or both replaces the current tenant as a whole.
   */
  static run<R>(data: PluginCallContextData, fn: () => R): R {
    const withCaller = data.callerPluginId === undefined ? fn : () => callerStorage.run(data.callerPluginId!, fn);
    const tenantId = data.tenantId ?? data.tenantSlug;
    if (tenantId === undefined) return withCaller();
    return tenantStorage.run(data.tenantSlug === undefined ? { tenantId } : { tenantId, tenantSlug: data.tenantSlug }, withCaller);
  }
}

/** An exposed method's function and the instance it belongs to. */
interface BoundMethod {
  readonly fn: (...args: unknown[]) => unknown;
  readonly target: object;
}

const invoke = (method: BoundMethod, args: unknown[]): unknown => method.fn.apply(method.target, args);

/** Library-internal: calls `method` with `args` as a call made by `callerPluginId`. Fixed arity: this is the hot path of `ctx.call`. */
export function runAsCaller(callerPluginId: string, method: BoundMethod, args: unknown[]): unknown {
  return callerStorage.run(callerPluginId, invoke, method, args);
}
