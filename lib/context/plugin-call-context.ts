import { AsyncLocalStorage } from 'node:async_hooks';
import { CallerMismatchError } from '../errors/index.js';
import { setObservedScopeReader } from '../observability/call-scope.js';

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

/**
 * Library-internal: who called the code running now, and which plugin that code belongs to.
 * One object in one store, so entering a plugin sets both with a single `run` and reading
 * either costs one look-up. Frames are never changed, only replaced.
 */
export interface CallFrame {
  readonly callerPluginId?: string;
  /** the plugin whose code runs: its calls are made as it, whoever started the outer call */
  readonly actingPluginId?: string;
}

// The tenant has a store of its own: a plugin call then only sets the frame, and the tenant
// flows through untouched, so `ctx.call` never reads the current context.
const frameStorage = new AsyncLocalStorage<CallFrame>();
const tenantStorage = new AsyncLocalStorage<TenantScope>();

setObservedScopeReader(() => {
  const frame = frameStorage.getStore();
  return { caller: frame?.callerPluginId, acting: frame?.actingPluginId, tenant: tenantStorage.getStore()?.tenantId };
});

export class PluginCallContext {
  /** The context of the code running now; empty outside any plugin call or tenant scope. */
  static current(): PluginCallContextData {
    const callerPluginId = frameStorage.getStore()?.callerPluginId;
    const tenant = tenantStorage.getStore();
    return {
      ...(callerPluginId === undefined ? {} : { callerPluginId }),
      ...tenant,
    };
  }

  /** The calling plugin, without building the whole context object (guarded methods read it on every call). */
  static callerPluginId(): string | undefined {
    return frameStorage.getStore()?.callerPluginId;
  }

  /**
   * The plugin whose code runs now (its `onPluginInit`, exposed methods, event and topic
   * handlers, routes, tasks and whatever they started); undefined for host code.
   */
  static actingPluginId(): string | undefined {
    return frameStorage.getStore()?.actingPluginId;
  }

  /** The current tenant id, without building the whole context object (shared data reads it on every call). */
  static tenantId(): string | undefined {
    return tenantStorage.getStore()?.tenantId;
  }

  /**
   * Runs `fn` with the given fields replacing those of the current context. A tenant given
   * by `tenantId`, `tenantSlug` or both replaces the current tenant as a whole. The acting
   * plugin is kept: naming a caller does not let plugin code act as another plugin.
   */
  static run<R>(data: PluginCallContextData, fn: () => R): R {
    const { callerPluginId } = data;
    const withCaller =
      callerPluginId === undefined ? fn : () => frameStorage.run({ callerPluginId, actingPluginId: frameStorage.getStore()?.actingPluginId }, fn);
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

/** Library-internal: the frame of the code running now (undefined for host code outside any call). */
export function currentFrame(): CallFrame | undefined {
  return frameStorage.getStore();
}

/** Library-internal: calls `method` with `args` in `frame`. Fixed arity: this is the hot path of `ctx.call`. */
export function runInFrame(frame: CallFrame, method: BoundMethod, args: unknown[]): unknown {
  return frameStorage.run(frame, invoke, method, args);
}

/** Library-internal: calls `method` with `args` as a call made by `callerPluginId` (an isolated guest, which has no other plugin to act as). */
export function runAsCaller(callerPluginId: string, method: BoundMethod, args: unknown[]): unknown {
  return frameStorage.run({ callerPluginId }, invoke, method, args);
}

/** Library-internal: the frame for entering plugin `pluginId` from `from`: the caller is whoever acts in `from` (or the caller host code named). */
export function entryFrame(from: CallFrame | undefined, pluginId: string): CallFrame {
  return { callerPluginId: from?.actingPluginId ?? from?.callerPluginId, actingPluginId: pluginId };
}

/** Library-internal: the frame of plugin `pluginId`'s own code when no plugin called it. Built once where that code runs often (a listener). */
export function ownFrame(pluginId: string): CallFrame {
  return { actingPluginId: pluginId };
}

/** Library-internal: runs `fn(...args)` in an `ownFrame`: lifecycle hooks, listeners, topic handlers, routes, tasks. */
export function runAsPlugin<A extends unknown[], R>(frame: CallFrame, fn: (...args: A) => R, ...args: A): R {
  return frameStorage.run(frame, fn, ...args);
}

/** Library-internal: runs `fn` as host code, e.g. the host's own listeners of an event a plugin emits. */
export function runAsHost<R>(fn: () => R): R {
  return frameStorage.getStore() === undefined ? fn() : frameStorage.exit(fn);
}

/**
 * Library-internal: plugin code may only name itself where an API takes the calling or owning
 * plugin's id (`PluginGateway.call`, shared data owners, service registrations); host code may
 * name any plugin. Throws `CallerMismatchError`.
 */
export function assertActingAs(claimedPluginId: string): void {
  const acting = frameStorage.getStore()?.actingPluginId;
  if (acting !== undefined && acting !== claimedPluginId) throw new CallerMismatchError(acting, claimedPluginId);
}
