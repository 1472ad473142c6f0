import { Injectable, NotImplementedException } from '@nestjs/common';
import { PluginRegistry } from '../../registry/plugin.registry.js';

/** The part of `@viz-js/viz` the console uses, typed here so the library's d.ts never names the optional package. */
interface GraphvizRenderer {
  renderString(dot: string, options: { format: 'svg'; nodeAttributes: Record<string, string>; edgeAttributes: Record<string, string> }): string;
}

// Graphviz sizes boxes by Helvetica's metrics but browsers draw with whatever sans font they have,
// often wider (DejaVu Sans): the extra margin keeps labels inside their boxes.
const FONT = { fontname: 'Helvetica,Arial,sans-serif', fontsize: '11' };
const NODE_ATTRIBUTES = { ...FONT, margin: '0.3,0.08' };

const VIZ_PACKAGE = '@viz-js/viz';

/**
 * Draws the dependency graph as SVG on the server, with Graphviz compiled to WebAssembly
 * (`@viz-js/viz`, an optional peer): nothing is fetched from the internet and the browser runs
 * no graph code. The WebAssembly module is compiled on first use and kept.
 */
@Injectable()
export class ConsoleGraphRenderer {
  private graphviz?: Promise<GraphvizRenderer>;

  constructor(private readonly registry: PluginRegistry) {}

  async svg(): Promise<string> {
    this.graphviz ??= loadGraphviz();
    const graphviz = await this.graphviz.catch((error: unknown) => {
      this.graphviz = undefined;
      throw error;
    });
    return graphviz.renderString(this.registry.graph('dot'), { format: 'svg', nodeAttributes: NODE_ATTRIBUTES, edgeAttributes: FONT });
  }
}

async function loadGraphviz(): Promise<GraphvizRenderer> {
  let viz: { instance(): Promise<GraphvizRenderer> };
  try {
    viz = (await import(VIZ_PACKAGE)) as typeof viz;
  } catch {
    throw new NotImplementedException(`The console draws the dependency graph with ${VIZ_PACKAGE}, which is not installed: npm install ${VIZ_PACKAGE}`);
  }
  return viz.instance();
}
