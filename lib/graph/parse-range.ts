import Range from 'semver/classes/range.js';

/** A semver range, or null when the text is not one: an unparsable range satisfies nothing. */
export function parseRange(range: string): Range | null {
  try {
    return new Range(range);
  } catch {
    return null;
  }
}
