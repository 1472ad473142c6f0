import { resolvePluginOrder, type PluginNode } from '../lib/index.js';
import { consume, formatNumber, median, seededRandom, type Figure } from './harness.js';

/** Dependency resolution on a large graph. Absolute target: there is no baseline to compare with. */

const PLUGINS = 10_000;
const EDGES = 50_000;
const RUNS = 21;
const WARMUP_RUNS = 5;
const TARGET_MS = 50;

/** A random DAG (every edge points to an earlier plugin); a third of the edges carry a semver range. */
function generateNodes(seed = 7): PluginNode[] {
  const random = seededRandom(seed);
  const dependencySets = Array.from({ length: PLUGINS }, () => new Set<number>());
  let edges = 0;
  while (edges < EDGES) {
    const source = 1 + Math.floor(random() * (PLUGINS - 1));
    const target = Math.floor(random() * source);
    if (dependencySets[source].has(target)) continue;
    dependencySets[source].add(target);
    edges++;
  }
  return dependencySets.map((targets, i) => ({
    name: `plugin-${i}`,
    version: `1.${i % 7}.0`,
    dependencies: [...targets].map((t) => (t % 3 === 0 ? { name: `plugin-${t}`, version: '^1.0.0' } : `plugin-${t}`)),
  }));
}

export function runResolveBench(): Figure[] {
  const nodes = generateNodes();
  for (let i = 0; i < WARMUP_RUNS; i++) consume(resolvePluginOrder(nodes).order.length);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    consume(resolvePluginOrder(nodes).order.length);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const ms = median(times);
  return [
    {
      name: `resolvePluginOrder, ${PLUGINS.toLocaleString('en-US')} plugins / ${EDGES.toLocaleString('en-US')} edges (absolute, no baseline)`,
      detail: `median of ${RUNS}: ${formatNumber(ms)} ms`,
      value: ms,
      unit: 'ms',
      target: { comparison: '≤', limit: TARGET_MS },
    },
  ];
}
