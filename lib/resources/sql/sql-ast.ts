/** A node of node-sql-parser's AST: a plain object whose shape depends on the clause and the dialect. */
export type AstNode = Record<string, unknown>;

export function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keys under which the parser copies a sub-query's table and column names as strings. They are
 * never printed back, so walking them would only see the same names twice.
 */
export function isDerivedKey(key: string): boolean {
  return key === 'tableList' || key === 'columnList';
}

/** Where a node hangs: its parent node and the key (of the parent, or of the array holding the node). */
export interface AstPosition {
  readonly parent?: AstNode;
  readonly key?: string;
}

/** Calls `visit` on every node under `value`, parents first. */
export function visitAst(value: unknown, visit: (node: AstNode, position: AstPosition) => void, position: AstPosition = {}): void {
  if (Array.isArray(value)) {
    for (const item of value) visitAst(item, visit, position);
    return;
  }
  if (!isAstNode(value)) return;
  visit(value, position);
  for (const [key, child] of Object.entries(value)) if (!isDerivedKey(key)) visitAst(child, visit, { parent: value, key });
}

/** A name the parser gives as a string, or as `{ type, value }` when it remembers the quoting. */
export function identifierName(identifier: unknown): string | undefined {
  if (typeof identifier === 'string') return identifier;
  return isAstNode(identifier) && typeof identifier.value === 'string' ? identifier.value : undefined;
}

/** Case folding as both databases do it for identifiers: ASCII letters only. */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
