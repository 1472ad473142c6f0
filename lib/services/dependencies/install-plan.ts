import { analyzePluginGraph, type PluginNode } from '../../graph/resolve-plugin-order.js';
import type { DependencyStatus, InstallPlan, ServiceDependency } from './service-dependency.types.js';

/**
 * What a seed client reads from a resolution: every plugin `pluginId` needs, directly or
 * through others, in install order (dependencies first, `pluginId` last), with each
 * unavailable dependency as an error (required) or a warning (optional), and cycles as errors.
 * An unavailable optional dependency is left out of the order; a missing required one stays
 * in it, since it is what must be installed.
 */
export function planInstall(
  pluginId: string,
  dependenciesOf: (pluginId: string) => readonly ServiceDependency[],
  statusOf: (dependency: ServiceDependency) => DependencyStatus,
): InstallPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const nodes: PluginNode[] = [];
  // Breadth-first, so `pluginId` is the first node and the graph walk starts from it.
  const queue = [pluginId];
  const reached = new Set(queue);
  for (const name of queue) {
    const needed: { name: string; optional: boolean }[] = [];
    for (const dependency of dependenciesOf(name)) {
      const status = statusOf(dependency);
      if (!status.available) (dependency.required ? errors : warnings).push(describeUnavailable(dependency, status));
      if (!status.available && !dependency.required) continue;
      needed.push({ name: dependency.dependsOnPluginId, optional: !dependency.required });
      if (!reached.has(dependency.dependsOnPluginId)) {
        reached.add(dependency.dependsOnPluginId);
        queue.push(dependency.dependsOnPluginId);
      }
    }
    // Versions were checked above; the graph only orders and finds cycles.
    nodes.push({ name, version: '0.0.0', dependencies: needed });
  }
  const { order, problems } = analyzePluginGraph(nodes);
  errors.push(...problems.map((problem) => problem.message));
  return { valid: errors.length === 0, errors, warnings, installOrder: order };
}

function describeUnavailable(dependency: ServiceDependency, status: DependencyStatus): string {
  const range = dependency.version === '*' ? 'any version' : dependency.version;
  const need = `Plugin "${dependency.pluginId}" ${dependency.required ? 'requires' : 'optionally depends on'} "${dependency.dependsOnPluginId}" (${range})`;
  return status.foundVersion === undefined
    ? `${need}, which is not available (no active plugin or healthy service)`
    : `${need}, but the available version is ${status.foundVersion}`;
}
