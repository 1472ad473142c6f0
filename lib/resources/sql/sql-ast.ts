/** Case folding as both databases do it for unquoted identifiers: ASCII letters only. */
export function foldIdentifier(name: string): string {
  // Most names are lower case already; an upper-case ASCII run lowers exactly with toLowerCase.
  return HAS_UPPER.test(name) ? name.replace(UPPER_RUNS, (run) => run.toLowerCase()) : name;
}

const HAS_UPPER = /[A-Z]/;
const UPPER_RUNS = /[A-Z]+/g;
