/**
 * What differs from one run to the next, masked alike in the README's text and in what the
 * commands print: ids, timestamps, durations, ports and the run's own directory.
 */
export function maskGenerated(text: string, directory?: string): string {
  let masked = text;
  if (directory !== undefined) masked = masked.split(directory).join('<dir>');
  return masked
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\b/g, '<time>')
    .replace(/\b(localhost|127\.0\.0\.1):\d+\b/g, '$1:<port>')
    .replace(/\+\d+ms\b/g, '+<ms>')
    .replace(/\r/g, '');
}

/**
 * Heartbeats run on a timer, so where they fall among the other lines, and how many rounds a
 * run sees, vary (and the tenants of a round beat at once): the other lines are kept in order,
 * then each distinct heartbeat line once, sorted.
 */
export function heartbeatsLast(text: string): string {
  const lines = text.split('\n');
  const isHeartbeat = (line: string) => line.includes('heartbeat');
  return [...lines.filter((line) => !isHeartbeat(line)), ...[...new Set(lines.filter(isHeartbeat))].sort()].join('\n');
}
