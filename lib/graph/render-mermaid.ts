import type { PluginGraph, PluginGraphNode, PluginGraphNodeState } from './plugin-graph.js';
import { NODE_STYLES, nodeTitle, UNSATISFIED_EDGE_COLOR } from './plugin-graph-styles.js';

/**
 * A Mermaid flowchart: dependents point at their dependencies, optional ones dashed,
 * unsatisfied ones red, each node coloured by a class named after its state.
 */
export function renderMermaid({ nodes, edges }: PluginGraph): string {
  const ids = mermaidIds(nodes);
  const lines = ['flowchart TD'];
  for (const node of nodes) {
    lines.push(`  ${ids.get(node.name)}["${escapeMermaid(nodeTitle(node))}<br/>${node.state}"]`);
  }
  for (const edge of edges) {
    const arrow = edge.optional ? '-.->' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${escapeMermaid(edge.range)}"| ${ids.get(edge.to)}`);
  }
  for (const [state, members] of groupByState(nodes)) {
    const { fill, stroke, dashed } = NODE_STYLES[state];
    lines.push(`  classDef ${state} fill:${fill},stroke:${stroke}${dashed ? ',stroke-dasharray:5 5' : ''}`);
    lines.push(`  class ${members.map((node) => ids.get(node.name)).join(',')} ${state}`);
  }
  // linkStyle addresses edges by their position in the text, which is their index in `edges`.
  const unsatisfied = edges.flatMap((edge, index) => (edge.satisfied ? [] : [index]));
  if (unsatisfied.length > 0) {
    lines.push(`  linkStyle ${unsatisfied.join(',')} stroke:${UNSATISFIED_EDGE_COLOR},color:${UNSATISFIED_EDGE_COLOR}`);
  }
  return lines.join('\n');
}

/**
 * Node ids from names: Mermaid ids take no hyphens, and bare keywords (`end`, `style`,
 * `class`, `graph`…), which are valid plugin names, break the parse, hence the `p_` prefix.
 * A numeric suffix keeps two names that sanitize alike apart.
 */
function mermaidIds(nodes: readonly PluginGraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const { name } of nodes) {
    const base = `p_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let suffix = 2; taken.has(id); suffix++) id = `${base}_${suffix}`;
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}

/** States present in the graph, in the order of NODE_STYLES, with their nodes in graph order. */
function groupByState(nodes: readonly PluginGraphNode[]): [PluginGraphNodeState, PluginGraphNode[]][] {
  return (Object.keys(NODE_STYLES) as PluginGraphNodeState[])
    .map((state): [PluginGraphNodeState, PluginGraphNode[]] => [state, nodes.filter((node) => node.state === state)])
    .filter(([, members]) => members.length > 0);
}

/**
 * Inside a quoted label `"` ends the text and `<`/`>`/`&` would be read as HTML; Mermaid's
 * entity codes (`#quot;`) stand for them, so `#` itself must be encoded too.
 */
const MERMAID_ENTITIES: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' };

function escapeMermaid(text: string): string {
  return text.replace(/[#"<>&]/g, (char) => MERMAID_ENTITIES[char]);
}
