import type { NormalizedDependency, PluginDependency } from '../interfaces/plugin-metadata.interface.js';

export function normalizeDependency(dependency: PluginDependency): NormalizedDependency {
  if (typeof dependency === 'string') {
    return { name: dependency, version: '*', optional: false };
  }
  return {
    name: dependency.name,
    version: dependency.version ?? '*',
    optional: dependency.optional ?? false,
    ...(dependency.reason === undefined ? {} : { reason: dependency.reason }),
  };
}
