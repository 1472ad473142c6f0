import { execFileSync } from 'node:child_process';
import type { NormalizedDependency } from '../../../lib/interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../../../lib/interfaces/plugin-state.interface.js';
import {
  buildPluginGraph,
  renderPluginGraph,
  type GraphedPlugin,
  type PluginGraph,
  type PluginGraphFormat,
} from '../../../lib/graph/render-plugin-graph.js';

function plugin(name: string, version: string, state: PluginState, dependencies: NormalizedDependency[] = []): GraphedPlugin {
  return { name, version, state, dependencies };
}

function requires(name: string, version = '*'): NormalizedDependency {
  return { name, version, optional: false };
}

function optionallyUses(name: string, version = '*'): NormalizedDependency {
  return { name, version, optional: true };
}

/** One of each case: satisfied, version mismatch, absent optional dependency, a range with `<` and `>`. */
const sample = buildPluginGraph([
  plugin('score-utils', '1.2.0', 'active'),
  plugin('ranking', '1.0.0', 'active', [requires('score-utils', '^1.0.0')]),
  plugin('reports', '0.3.0', 'failed', [requires('score-utils', '^2.0.0'), optionallyUses('audit-trail')]),
  plugin('exporter', '2.0.0-beta.1', 'inactive', [requires('reports', '>=0.3.0 <1.0.0')]),
]);

/** A name that ends in a backslash and a range that would be a DOT escape (`\N`) unescaped. */
const awkwardForDot: PluginGraph = {
  nodes: [{ name: 'say "hi"\\', version: '1.0.0', state: 'active' }],
  edges: [{ from: 'say "hi"\\', to: 'say "hi"\\', range: '\\N"', optional: false, satisfied: true }],
};

function isGraphvizInstalled(): boolean {
  try {
    execFileSync('dot', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('buildPluginGraph', () => {
  it('lists plugins in registration order, then absent dependencies as missing, and one edge per declaration', () => {
    expect(sample).toEqual({
      nodes: [
        { name: 'score-utils', version: '1.2.0', state: 'active' },
        { name: 'ranking', version: '1.0.0', state: 'active' },
        { name: 'reports', version: '0.3.0', state: 'failed' },
        { name: 'exporter', version: '2.0.0-beta.1', state: 'inactive' },
        { name: 'audit-trail', state: 'missing' },
      ],
      edges: [
        { from: 'ranking', to: 'score-utils', range: '^1.0.0', optional: false, satisfied: true },
        { from: 'reports', to: 'score-utils', range: '^2.0.0', optional: false, satisfied: false },
        { from: 'reports', to: 'audit-trail', range: '*', optional: true, satisfied: false },
        { from: 'exporter', to: 'reports', range: '>=0.3.0 <1.0.0', optional: false, satisfied: true },
      ],
    });
  });

  it('adds one missing node per absent dependency, however many plugins want it', () => {
    const graph = buildPluginGraph([
      plugin('first', '1.0.0', 'failed', [requires('ghost')]),
      plugin('second', '1.0.0', 'failed', [requires('ghost', '^1.0.0')]),
    ]);
    expect(graph.nodes.filter((node) => node.state === 'missing')).toEqual([{ name: 'ghost', state: 'missing' }]);
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.satisfied])).toEqual([
      ['first', 'ghost', false],
      ['second', 'ghost', false],
    ]);
  });

  it('judges versions like the resolver: `*` takes a prerelease, a range does not', () => {
    const graph = buildPluginGraph([
      plugin('beta', '2.0.0-beta.1', 'active'),
      plugin('any', '1.0.0', 'active', [requires('beta')]),
      plugin('ranged', '1.0.0', 'failed', [requires('beta', '^2.0.0')]),
    ]);
    expect(graph.edges.map((edge) => edge.satisfied)).toEqual([true, false]);
  });
});

describe('renderPluginGraph', () => {
  it('mermaid: a flowchart with sanitized ids, range labels, dashed optional edges, red unsatisfied ones and a class per state', () => {
    expect(renderPluginGraph(sample, 'mermaid')).toBe(
      [
        'flowchart TD',
        '  p_score_utils["score-utils@1.2.0<br/>active"]',
        '  p_ranking["ranking@1.0.0<br/>active"]',
        '  p_reports["reports@0.3.0<br/>failed"]',
        '  p_exporter["exporter@2.0.0-beta.1<br/>inactive"]',
        '  p_audit_trail["audit-trail<br/>missing"]',
        '  p_ranking -->|"^1.0.0"| p_score_utils',
        '  p_reports -->|"^2.0.0"| p_score_utils',
        '  p_reports -.->|"*"| p_audit_trail',
        '  p_exporter -->|"#gt;=0.3.0 #lt;1.0.0"| p_reports',
        '  classDef active fill:#d4edda,stroke:#2e7d32',
        '  class p_score_utils,p_ranking active',
        '  classDef inactive fill:#eeeeee,stroke:#757575',
        '  class p_exporter inactive',
        '  classDef failed fill:#f8d7da,stroke:#c62828',
        '  class p_reports failed',
        '  classDef missing fill:#fff3e0,stroke:#ef6c00,stroke-dasharray:5 5',
        '  class p_audit_trail missing',
        '  linkStyle 1,2 stroke:#c62828,color:#c62828',
      ].join('\n'),
    );
  });

  it('mermaid: ids survive Mermaid keywords and names that sanitize alike', () => {
    const graph = buildPluginGraph([
      plugin('end', '1.0.0', 'active'),
      plugin('a-b', '1.0.0', 'active'),
      plugin('a_b', '1.0.0', 'active', [requires('end'), requires('a-b')]),
    ]);
    const mermaid = renderPluginGraph(graph, 'mermaid');
    expect(mermaid.split('\n').slice(1, 6)).toEqual([
      '  p_end["end@1.0.0<br/>active"]',
      '  p_a_b["a-b@1.0.0<br/>active"]',
      '  p_a_b_2["a_b@1.0.0<br/>active"]',
      '  p_a_b_2 -->|"*"| p_end',
      '  p_a_b_2 -->|"*"| p_a_b',
    ]);
    expect(mermaid).not.toContain('linkStyle'); // every edge is satisfied
  });

  it('mermaid: quotes, brackets and entity-like text in labels become entity codes', () => {
    const graph: PluginGraph = {
      nodes: [{ name: 'odd"[name]', version: '1.0.0', state: 'active' }, { name: 'x', state: 'missing' }],
      edges: [{ from: 'odd"[name]', to: 'x', range: '<2 & "#lt;"', optional: false, satisfied: false }],
    };
    expect(renderPluginGraph(graph, 'mermaid').split('\n').slice(1, 4)).toEqual([
      '  p_odd__name_["odd#quot;[name]@1.0.0<br/>active"]',
      '  p_x["x<br/>missing"]',
      '  p_odd__name_ -->|"#lt;2 #amp; #quot;#35;lt;#quot;"| p_x',
    ]);
  });

  it('dot: a left-to-right digraph with quoted ids, state colours, dashed optional edges and red unsatisfied ones', () => {
    expect(renderPluginGraph(sample, 'dot')).toBe(
      [
        'digraph plugins {',
        '  rankdir=LR;',
        '  node [shape=box, style="rounded,filled"];',
        '  "score-utils" [label="score-utils@1.2.0\\nactive", fillcolor="#d4edda", color="#2e7d32"];',
        '  "ranking" [label="ranking@1.0.0\\nactive", fillcolor="#d4edda", color="#2e7d32"];',
        '  "reports" [label="reports@0.3.0\\nfailed", fillcolor="#f8d7da", color="#c62828"];',
        '  "exporter" [label="exporter@2.0.0-beta.1\\ninactive", fillcolor="#eeeeee", color="#757575"];',
        '  "audit-trail" [label="audit-trail\\nmissing", style="rounded,filled,dashed", fillcolor="#fff3e0", color="#ef6c00"];',
        '  "ranking" -> "score-utils" [label="^1.0.0"];',
        '  "reports" -> "score-utils" [label="^2.0.0", color="#c62828", fontcolor="#c62828"];',
        '  "reports" -> "audit-trail" [label="*", style=dashed, color="#c62828", fontcolor="#c62828"];',
        '  "exporter" -> "reports" [label=">=0.3.0 <1.0.0"];',
        '}',
      ].join('\n'),
    );
  });

  it('dot: escapes `"` and `\\` in ids and labels', () => {
    const graph: PluginGraph = {
      nodes: [{ name: 'say "hi"\\', version: '1.0.0', state: 'active' }],
      edges: [{ from: 'say "hi"\\', to: 'say "hi"\\', range: '\\N"', optional: false, satisfied: true }],
    };
    expect(renderPluginGraph(graph, 'dot').split('\n').slice(3, 5)).toEqual([
      String.raw`  "say \"hi\"\\" [label="say \"hi\"\\@1.0.0\nactive", fillcolor="#d4edda", color="#2e7d32"];`,
      String.raw`  "say \"hi\"\\" -> "say \"hi\"\\" [label="\\N\""];`,
    ]);
  });

  it('json: the graph itself, indented, and it round-trips', () => {
    const json = renderPluginGraph(sample, 'json');
    expect(json).toBe(JSON.stringify(sample, null, 2));
    expect(JSON.parse(json)).toEqual(sample);
  });

  it('refuses an unknown format with a TypeError naming the allowed ones', () => {
    expect(() => renderPluginGraph(sample, 'svg' as PluginGraphFormat)).toThrow(
      new TypeError('Unknown plugin graph format "svg": expected one of mermaid, dot, json'),
    );
  });

  if (isGraphvizInstalled()) {
    it('dot: Graphviz renders it (sample and escaped names)', () => {
      for (const graph of [sample, awkwardForDot]) {
        const svg = execFileSync('dot', ['-Tsvg'], { input: renderPluginGraph(graph, 'dot'), encoding: 'utf8' });
        expect(svg).toContain('<svg');
      }
    });
  } else {
    it.skip('dot: Graphviz renders it (skipped: graphviz `dot` is not installed; apt-get install graphviz)', () => {});
  }
});
