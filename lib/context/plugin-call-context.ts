import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling and for which tenant; survives `await` (AsyncLocalStorage). */
export interface PluginCallContextData {
  /** the plugin that made the call through its `ctx.call` or a dependency handle; undefined for host code */
  readonly callerPluginId?: string;
  readonly tenantId?: string;
}

// Two stores, not one object: a plugin call then only sets the caller, and the tenant
// flows through untouched, so `ctx.call` never reads the current context or allocates.
const callerStorage = new AsyncLocalStorage<string>();
const tenantStorage = new AsyncLocalStorage<string>();

export class PluginCallContext {
  /** The context of the code running now; empty outside any plugin call or tenant scope. */
  static current(): PluginCallContextData {
    const callerPluginId = callerStorage.getStore();
    const tenantId = tenantStorage.getStore();
    return {
      ...(callerPluginId === undefined ? {} : { callerPluginId }),
      ...(tenantId === undefined ? {} : { tenantId }),
    };
  }

  /** Runs `fn` with the given fields replacing those of the current context. */
  static run<R>(data: PluginCallContextData, fn: () => R): R {
    const withCaller = data.callerPluginId === undefined ? fn : () => callerStorage.run(data.callerPluginId!, fn);
    return data.tenantId === undefined ? withCaller() : tenantStorage.run(data.tenantId, withCaller);
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
