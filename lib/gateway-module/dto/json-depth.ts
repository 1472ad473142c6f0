/** How deep a request body may nest: past it, class-transformer's recursion gave a 500. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth` (the value itself
 * is level 1). Iterative and linear in the number of nodes, so a hostile body cannot overflow
 * the stack the check itself runs on.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const nodes: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    nodes.push(value);
    depths.push(1);
  }
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
