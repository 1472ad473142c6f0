import { distance } from 'fastest-levenshtein';

/**
 * The candidate a mistyped `name` most likely meant, for "did you mean" hints: the closest by
 * case-insensitive edit distance, if that distance is at most max(1, floor(length / 3)) —
 * further than that a hint misleads more than it helps. Ties go to the earliest candidate
 * (registration or declaration order). Called only when building an error, never on a call.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let closest: string | undefined;
  let closestDistance = Math.max(1, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const lowered = candidate.toLowerCase();
    // The distance is at least the difference in length: most candidates skip the full comparison.
    if (Math.abs(lowered.length - wanted.length) >= closestDistance) continue;
    const candidateDistance = distance(wanted, lowered);
    if (candidateDistance < closestDistance) {
      closest = candidate;
      closestDistance = candidateDistance;
    }
  }
  return closest;
}
