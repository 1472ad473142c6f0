import { DURATION_BUCKETS_SECONDS } from './duration-histogram.js';
import type { Labels, MetricFamily } from './metric-families.js';

/** The content type of the Prometheus text exposition format this writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders metric families in the Prometheus text exposition format (0.0.4). */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type !== 'histogram') {
      for (const { labels, value } of family.samples) lines.push(`${family.name}${labelText(labels)} ${value}`);
      continue;
    }
    for (const { labels, counts, sum, count } of family.samples) {
      let cumulative = 0;
      for (let i = 0; i < counts.length; i++) {
        cumulative += counts[i]!;
        const le = i < DURATION_BUCKETS_SECONDS.length ? String(DURATION_BUCKETS_SECONDS[i]) : '+Inf';
        lines.push(`${family.name}_bucket${labelText({ ...labels, le })} ${cumulative}`);
      }
      lines.push(`${family.name}_sum${labelText(labels)} ${sum}`, `${family.name}_count${labelText(labels)} ${count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** Backslash, double quote and line feed are the three characters a label value escapes. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
