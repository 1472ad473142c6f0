import { CircularDependencyError, type DependencyProblem, PluginResolutionError } from '../errors/resolution.errors.js';
import { buildDependencyEdges, type DependencyEdges, type PluginNode } from './dependency-edges.js';
import { HostVersion } from './host-version.js';

export type { PluginNode } from './dependency-edges.js';

export interface PluginResolutionOptions {
  /** the host's version (semver): each plugin's `hostRange` must accept it; unchecked when absent */
  hostVersion?: string;
}

export interface PluginGraphAnalysis {
  /** topological order of every plugin that is not blocked */
  order: string[];
  /** host mismatches, missing and mismatched dependencies (registration order), then cycles (discovery order) */
  problems: DependencyProblem[];
  /** plugin name -> the problem that prevents it from starting: its own, its cycle's, or a dependency's */
  blocked: Map<string, DependencyProblem>;
  /** absent optional dependencies, and host ranges left unchecked without a host version */
  warnings: string[];
}

const WHITE = 0; // not visited
const GREY = 1; // on the DFS stack: an edge to it closes a cycle
const BLACK = 2; // emitted

/**
 * Orders plugins dependencies-first, ties broken by registration order ("stable DFS":
 * walk plugins in array order; before emitting one, emit its not-yet-emitted
 * dependencies in declaration order). Finds every problem instead of stopping at the first.
 */
export function analyzePluginGraph(nodes: readonly PluginNode[], { hostVersion }: PluginResolutionOptions = {}): PluginGraphAnalysis {
  const edges = buildDependencyEdges(nodes, hostVersion === undefined ? undefined : new HostVersion(hostVersion));
  const blockedBy = edges.ownProblems; // grows into cycles and blocked dependencies below
  const { emitted, cycles } = walkDependenciesFirst(nodes, edges, blockedBy);

  // In emission order every dependency comes before its dependent, except along a back
  // edge, whose source is on a cycle and so already blocked: one pass propagates blocking.
  const order: string[] = [];
  const blocked = new Map<string, DependencyProblem>();
  for (const plugin of emitted) {
    const end = edges.edgeStart[plugin + 1];
    for (let edge = edges.edgeStart[plugin]; edge < end && blockedBy[plugin] === undefined; edge++) {
      if (edges.edgeRequired[edge] === 1) blockedBy[plugin] = blockedBy[edges.edgeTargets[edge]];
    }
    const problem = blockedBy[plugin];
    if (problem === undefined) order.push(nodes[plugin].name);
    else blocked.set(nodes[plugin].name, problem);
  }

  return { order, problems: [...edges.problems, ...cycles], blocked, warnings: edges.warnings };
}

/**
 * The start order of the plugins, or a PluginResolutionError listing every problem.
 * A `hostVersion` that is not a semver version is a TypeError.
 */
export function resolvePluginOrder(nodes: readonly PluginNode[], options: PluginResolutionOptions = {}): { order: string[]; warnings: string[] } {
  const { order, problems, warnings } = analyzePluginGraph(nodes, options);
  if (problems.length > 0) throw new PluginResolutionError(problems);
  return { order, warnings };
}

/**
 * Iterative DFS (a 10,000-long chain must not overflow the call stack) that emits every
 * plugin, cycle members included, after its dependencies. Each back edge yields one cycle,
 * read off the stack from the re-entered plugin; its members are marked in `blockedBy`
 * unless they already have a problem of their own.
 */
function walkDependenciesFirst(
  nodes: readonly PluginNode[],
  { edgeStart, edgeTargets }: DependencyEdges,
  blockedBy: (DependencyProblem | undefined)[],
): { emitted: Int32Array; cycles: CircularDependencyError[] } {
  const count = nodes.length;
  const colour = new Uint8Array(count);
  const nextEdge = new Int32Array(count);
  const stack = new Int32Array(count);
  const stackIndex = new Int32Array(count);
  const emitted = new Int32Array(count);
  const cycles: CircularDependencyError[] = [];
  let emittedCount = 0;
  let top = -1;

  const enter = (plugin: number) => {
    colour[plugin] = GREY;
    nextEdge[plugin] = edgeStart[plugin];
    stack[++top] = plugin;
    stackIndex[plugin] = top;
  };

  for (let root = 0; root < count; root++) {
    if (colour[root] !== WHITE) continue;
    enter(root);
    while (top >= 0) {
      const plugin = stack[top];
      if (nextEdge[plugin] === edgeStart[plugin + 1]) {
        colour[plugin] = BLACK;
        emitted[emittedCount++] = plugin;
        top--;
        continue;
      }
      const dependency = edgeTargets[nextEdge[plugin]++];
      if (colour[dependency] === WHITE) {
        enter(dependency);
      } else if (colour[dependency] === GREY) {
        const members = stack.subarray(stackIndex[dependency], top + 1);
        const cycle = new CircularDependencyError([...Array.from(members, (m) => nodes[m].name), nodes[dependency].name]);
        cycles.push(cycle);
        for (const member of members) blockedBy[member] ??= cycle;
      }
    }
  }
  return { emitted, cycles };
}
