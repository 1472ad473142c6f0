import type { PluginGraph } from './plugin-graph.js';
import { renderDot } from './render-dot.js';
import { renderMermaid } from './render-mermaid.js';

export {
  buildPluginGraph,
  type GraphedPlugin,
  type PluginGraph,
  type PluginGraphEdge,
  type PluginGraphNode,
  type PluginGraphNodeState,
} from './plugin-graph.js';

export const PLUGIN_GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type PluginGraphFormat = (typeof PLUGIN_GRAPH_FORMATS)[number];

/** The graph as Mermaid or Graphviz DOT source, or as the `PluginGraph` in indented JSON. */
export function renderPluginGraph(graph: PluginGraph, format: PluginGraphFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
    case 'json':
      return JSON.stringify(graph, null, 2);
    default:
      // reachable from JavaScript, or from an admin route's query string
      throw new TypeError(`Unknown plugin graph format ${JSON.stringify(format)}: expected one of ${PLUGIN_GRAPH_FORMATS.join(', ')}`);
  }
}
