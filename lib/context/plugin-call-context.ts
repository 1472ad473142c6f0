import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling and for which tenant; survives `await` (AsyncLocalStorage). */
export interface PluginCallContextData {
  /** the plugin that made the call through its `ctx.call`; undefined for host code */
  readonly callerPluginId?: string;
  readonly tenantId?: string;
}

const NO_CONTEXT: PluginCallContextData = Object.freeze({});
const storage = new AsyncLocalStorage<PluginCallContextData>();

export class PluginCallContext {
  /** The context of the code running now; empty outside any plugin call or tenant scope. */
  static current(): PluginCallContextData {
    return storage.getStore() ?? NO_CONTEXT;
  }

  /** Runs `fn` with `data` merged over the current context. */
  static run<R>(data: PluginCallContextData, fn: () => R): R {
    return storage.run(Object.freeze({ ...PluginCallContext.current(), ...data }), fn);
  }
}

/** Library-internal: runs `fn(...args)` under an exact, already-frozen context. */
export function runInCallContext<A extends unknown[], R>(data: PluginCallContextData, fn: (...args: A) => R, ...args: A): R {
  return storage.run(data, fn, ...args);
}

/** Library-internal: the raw store, `undefined` outside any context. */
export function currentCallContextOrUndefined(): PluginCallContextData | undefined {
  return storage.getStore();
}
