import type { PluginGraphNodeState } from './plugin-graph.js';

export interface NodeStyle {
  fill: string;
  stroke: string;
  dashed: boolean;
}

/**
 * One look per state, shared by every drawing so Mermaid and DOT read the same. The key
 * order is the order classes are declared in, so the output does not depend on the graph.
 */
export const NODE_STYLES: Readonly<Record<PluginGraphNodeState, NodeStyle>> = {
  registered: { fill: '#fff8e1', stroke: '#f9a825', dashed: false },
  resolving: { fill: '#fff8e1', stroke: '#f9a825', dashed: false },
  initializing: { fill: '#fff8e1', stroke: '#f9a825', dashed: false },
  active: { fill: '#d4edda', stroke: '#2e7d32', dashed: false },
  stopping: { fill: '#eeeeee', stroke: '#757575', dashed: false },
  inactive: { fill: '#eeeeee', stroke: '#757575', dashed: false },
  failed: { fill: '#f8d7da', stroke: '#c62828', dashed: false },
  missing: { fill: '#fff3e0', stroke: '#ef6c00', dashed: true },
};

/** Colour of an edge whose dependency is absent or of the wrong version. */
export const UNSATISFIED_EDGE_COLOR = '#c62828';

/** `name@version`, or just the name for a node that has no version. */
export function nodeTitle(node: { name: string; version?: string }): string {
  return node.version === undefined ? node.name : `${node.name}@${node.version}`;
}
