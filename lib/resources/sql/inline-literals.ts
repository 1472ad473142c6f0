import { foldIdentifier, identifierName, isAstNode, isDerivedKey, type AstNode } from './sql-ast.js';
import { sqliteMarkerIndex } from './sql-shape.js';

/**
 * The literals of a SQLite shape that must stay in the text because a parameter would change
 * what the statement means, by literal index:
 * - result columns without an alias (in any SELECT, since `*` above a sub-query or CTE takes
 *   its names, and in RETURNING): SQLite names such a column after its text, `?` included;
 * - ORDER BY and GROUP BY: an integer there is a column position, and a compound SELECT
 *   matches ORDER BY terms to result columns by their text;
 * - window definitions, and likelihood(), whose second argument must be a literal.
 * Everything else binds as a parameter: the same text for every value, so SQLite compiles and
 * verifies it once. The parser saw each marker as a value, so a literal put back is a value.
 */
export function sqliteLiteralsToInline(statements: readonly AstNode[]): ReadonlySet<number> {
  const inline = new Set<number>();
  const visit = (value: unknown, inlining: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, inlining);
      return;
    }
    if (!isAstNode(value)) return;
    const index = value.type === 'origin' && typeof value.value === 'string' ? sqliteMarkerIndex(value.value) : undefined;
    if (index !== undefined) {
      if (inlining) inline.add(index);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (isDerivedKey(key)) continue;
      if (key === 'columns' && Array.isArray(child) && (value.type === 'select' || value.type === 'returning')) {
        for (const column of child) visit(column, inlining || (isAstNode(column) && column.as == null));
      } else {
        visit(child, inlining || inlinesBelow(value, key));
      }
    }
  };
  visit(statements, false);
  return inline;
}

const INLINED_CLAUSES: ReadonlySet<string> = new Set(['orderby', 'groupby', 'partitionby', 'over', 'window']);

function inlinesBelow(node: AstNode, key: string): boolean {
  if (INLINED_CLAUSES.has(key)) return true;
  return key === 'args' && node.type === 'function' && isLikelihood(node.name);
}

function isLikelihood(name: unknown): boolean {
  const parts = isAstNode(name) && Array.isArray(name.name) ? name.name : [];
  const first = parts.length === 1 ? identifierName(parts[0]) : undefined;
  return first !== undefined && foldIdentifier(first) === 'likelihood';
}
