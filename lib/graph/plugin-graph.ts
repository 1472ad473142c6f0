import satisfies from 'semver/functions/satisfies.js';
import type { NormalizedDependency } from '../interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../interfaces/plugin-state.interface.js';

/** A registered plugin's state, or `missing` for a dependency nobody registered. */
export type PluginGraphNodeState = PluginState | 'missing';

export type PluginGraphNode =
  | { name: string; version: string; state: PluginState }
  /** drawn so the graph shows what is absent; it has no version to show */
  | { name: string; state: 'missing' };

export interface PluginGraphEdge {
  /** the dependent */
  from: string;
  /** the dependency */
  to: string;
  /** semver range; `*` when the declaration named no version */
  range: string;
  optional: boolean;
  /** false when the dependency is not registered or its version does not satisfy the range */
  satisfied: boolean;
}

export interface PluginGraph {
  nodes: PluginGraphNode[];
  edges: PluginGraphEdge[];
}

/** What the graph needs to know about one registered plugin. */
export interface GraphedPlugin {
  name: string;
  version: string;
  state: PluginState;
  dependencies: readonly NormalizedDependency[];
}

/**
 * Nodes in registration order, then one `missing` node per absent dependency in order of
 * first mention; one edge per declared dependency, in declaration order.
 */
export function buildPluginGraph(plugins: readonly GraphedPlugin[]): PluginGraph {
  const registered = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  const nodes: PluginGraphNode[] = plugins.map(({ name, version, state }) => ({ name, version, state }));
  const missing = new Set<string>();
  const edges: PluginGraphEdge[] = [];

  for (const plugin of plugins) {
    for (const { name, version: range, optional } of plugin.dependencies) {
      const dependency = registered.get(name);
      if (dependency === undefined && !missing.has(name)) {
        missing.add(name);
        nodes.push({ name, state: 'missing' });
      }
      const satisfied = dependency !== undefined && versionSatisfies(dependency.version, range);
      edges.push({ from: plugin.name, to: name, range, optional, satisfied });
    }
  }
  return { nodes, edges };
}

/**
 * Same verdict as the resolver: `*` accepts any version (prereleases too, which
 * `semver.satisfies` alone would refuse); an unparsable range or version satisfies nothing.
 */
function versionSatisfies(version: string, range: string): boolean {
  return range === '*' || satisfies(version, range);
}
