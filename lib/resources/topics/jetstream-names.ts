import { createHash } from 'node:crypto';

/** Stream and consumer names may not hold `.`, `*`, `>`, path separators or whitespace. */
const UNSAFE_NAME_CHARACTERS = /[^A-Za-z0-9_-]/g;

/**
 * The JetStream stream that keeps a durable topic: `NP_<topic>` with unsafe characters
 * replaced, and a short hash of the exact topic when any was, so `a.b` and `a_b` differ.
 */
export function streamNameOf(topic: string): string {
  const safe = topic.replace(UNSAFE_NAME_CHARACTERS, '_');
  const suffix = safe === topic ? '' : `_${createHash('sha256').update(topic).digest('hex').slice(0, 8)}`;
  return `NP_${safe}${suffix}`;
}

/** The durable consumer of one subscriber group (a plugin name, already kebab-case). */
export function consumerNameOf(group: string): string {
  return group.replace(UNSAFE_NAME_CHARACTERS, '_');
}
