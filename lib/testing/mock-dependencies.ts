import { MethodNotExposedError, UndeclaredDependencyError } from '../errors/index.js';
import type { PluginCalls } from '../interfaces/facets/call.facet.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';

/** Stand-ins for the plugins a mock context may call, by plugin name: objects whose methods are the exposed ones. */
export type MockDependencies = Readonly<Record<string, object>>;

/**
 * `call`, `getDependency` and `getDependencies` of a mock context over the given stand-ins.
 * A name without a stand-in counts as undeclared, as the real context treats it, so a test
 * sees the same error a plugin would get for a dependency it forgot to declare.
 */
export function mockDependencyMembers(pluginName: string, dependencies: MockDependencies): PluginCalls {
  const handleOf = (name: string): PluginHandle => {
    if (!Object.hasOwn(dependencies, name)) throw new UndeclaredDependencyError(pluginName, name);
    return dependencies[name] as PluginHandle;
  };
  return {
    call(name: string, method: string, ...args: unknown[]): any {
      const handle = handleOf(name) as unknown as Record<string, unknown>;
      const target = handle[method];
      if (typeof target !== 'function') throw new MethodNotExposedError(name, method);
      return target.apply(handle, args);
    },
    getDependency: handleOf,
    getDependencies: (): Map<string, PluginHandle> => new Map(Object.keys(dependencies).map((name) => [name, handleOf(name)])),
  };
}
