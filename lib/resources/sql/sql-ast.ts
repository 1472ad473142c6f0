/** Case folding as both databases do it for unquoted identifiers: ASCII letters only. */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
