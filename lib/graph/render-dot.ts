import type { PluginGraph, PluginGraphEdge, PluginGraphNode } from './plugin-graph.js';
import { NODE_STYLES, nodeTitle, UNSATISFIED_EDGE_COLOR } from './plugin-graph-styles.js';

/**
 * A Graphviz digraph: dependents point at their dependencies, optional ones dashed,
 * unsatisfied ones red, each node filled with its state's colour.
 */
export function renderDot({ nodes, edges }: PluginGraph): string {
  return [
    'digraph plugins {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled"];',
    ...nodes.map(dotNode),
    ...edges.map(dotEdge),
    '}',
  ].join('\n');
}

function dotNode(node: PluginGraphNode): string {
  const { fill, stroke, dashed } = NODE_STYLES[node.state];
  const attributes = [
    // `\n` is DOT's line break inside a label, so it is written after escaping
    `label="${escapeDot(nodeTitle(node))}\\n${node.state}"`,
    ...(dashed ? ['style="rounded,filled,dashed"'] : []),
    `fillcolor="${fill}"`,
    `color="${stroke}"`,
  ];
  return `  "${escapeDot(node.name)}" [${attributes.join(', ')}];`;
}

function dotEdge(edge: PluginGraphEdge): string {
  const attributes = [
    `label="${escapeDot(edge.range)}"`,
    ...(edge.optional ? ['style=dashed'] : []),
    ...(edge.satisfied ? [] : [`color="${UNSATISFIED_EDGE_COLOR}"`, `fontcolor="${UNSATISFIED_EDGE_COLOR}"`]),
  ];
  return `  "${escapeDot(edge.from)}" -> "${escapeDot(edge.to)}" [${attributes.join(', ')}];`;
}

/** In a quoted DOT string `"` would end it and `\` starts an escape (`\N`, `\n`…). */
function escapeDot(text: string): string {
  return text.replace(/[\\"]/g, (char) => `\\${char}`);
}
