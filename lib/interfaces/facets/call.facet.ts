import type { CallableMethodName, CallArguments, CallResult, DeclaredPluginName, PluginHandle, PluginTypes } from '../plugin-types.interface.js';

/** `ctx.call`, `ctx.getDependency`, `ctx.getDependencies`: the plugin's way to its declared dependencies. */
export interface PluginCalls {
  /** Like `PluginRegistry.call`, limited to declared dependencies; the callee sees this plugin as caller. */
  call<N extends string, M extends CallableMethodName<N>>(pluginId: N, method: M, ...args: CallArguments<N, M>): CallResult<N, M>;
  /** `undefined` only for a declared optional dependency that is not active. */
  getDependency<N extends DeclaredPluginName>(name: N): PluginHandle<PluginTypes[N]> | undefined;
  getDependency<T = unknown>(name: string): PluginHandle<T> | undefined;
  /** Handles of every declared dependency that is active, by name. */
  getDependencies(): Map<string, PluginHandle>;
}
