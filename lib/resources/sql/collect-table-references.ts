import { foldIdentifier, identifierName, isAstNode, isDerivedKey, type AstNode } from './sql-ast.js';
import { SqlRefusal } from './sql-refusal.js';

/** A table the SQL names: checked against the policy, then renamed in place. */
export interface TableReference {
  /** The FROM item or INSERT/UPDATE/DELETE target whose `table` the rewrite replaces. */
  readonly node: AstNode;
  /** As written, unquoted. */
  readonly name: string;
  /** As written; `db.schema` for a three-part name. */
  readonly schema?: string;
}

/** A column qualified by a table's own name (`users.id`), renamed with that table. */
export interface QualifierReference {
  readonly node: AstNode;
  readonly table: TableReference;
}

export interface TableReferences {
  readonly tables: readonly TableReference[];
  readonly qualifiers: readonly QualifierReference[];
}

/** CTE names in scope, folded, to the name as defined. */
type CteScope = ReadonlyMap<string, string>;

/**
 * Every table one statement names, wherever it is: joins, sub-queries in any clause, CTE bodies,
 * set operations, INSERT/UPDATE/DELETE targets. Anything with a `table` name and no `column`
 * counts, so a clause this code does not know still gets its tables checked.
 *
 * A CTE name is not a table. A name counts as a CTE only in a FROM list where the CTE is surely
 * in scope in both databases: its own body and later siblings only under WITH RECURSIVE, since
 * PostgreSQL resolves those to tables otherwise. Such a reference is renamed to the CTE's name
 * exactly as defined so that the database resolves it to the CTE too, whatever the case.
 * INSERT/UPDATE/DELETE targets are always tables: no database writes into a CTE.
 */
export function collectTableReferences(statement: AstNode): TableReferences {
  const collector = new TableReferenceCollector();
  collector.visit(statement, new Map(), false);
  return collector.references();
}

class TableReferenceCollector {
  private readonly tables: TableReference[] = [];
  private readonly qualified: { node: AstNode; name: string }[] = [];
  /** Aliases and CTE names: a qualifier spelled like one of them does not name a table. */
  private readonly shadowingNames = new Set<string>();

  visit(value: unknown, ctes: CteScope, inFromList: boolean): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, ctes, inFromList);
      return;
    }
    if (!isAstNode(value)) return;
    if (Array.isArray(value.with) && isParenthesisedSetOperationArm(value)) {
      throw new SqlRefusal('WITH inside a parenthesised UNION/INTERSECT/EXCEPT arm is not supported; put WITH at the start of the statement');
    }
    const scope = Array.isArray(value.with) ? this.visitCtes(value.with, ctes) : ctes;
    const name = identifierName(value.table);
    if (name !== undefined) this.record(value, name, scope, inFromList);
    for (const [key, child] of Object.entries(value)) {
      if (isDerivedKey(key) || (key === 'with' && Array.isArray(child))) continue;
      this.visit(child, scope, key === 'from' && (value.type === 'select' || value.type === 'update'));
    }
  }

  references(): TableReferences {
    const unaliased = new Map<string, TableReference>();
    for (const table of this.tables) if (table.node.as == null) unaliased.set(foldIdentifier(table.name), table);
    const qualifiers: QualifierReference[] = [];
    for (const { node, name } of this.qualified) {
      const table = this.shadowingNames.has(foldIdentifier(name)) ? undefined : unaliased.get(foldIdentifier(name));
      if (table !== undefined) qualifiers.push({ node, table });
    }
    return { tables: this.tables, qualifiers };
  }

  private visitCtes(definitions: unknown[], outer: CteScope): CteScope {
    const names = definitions.map(cteName);
    const recursive = definitions.some((definition) => isAstNode(definition) && definition.recursive === true);
    definitions.forEach((definition, index) => {
      const visible = withCtes(outer, recursive ? names : names.slice(0, index));
      for (const [key, child] of Object.entries(definition as AstNode)) if (key !== 'name') this.visit(child, visible, false);
    });
    for (const name of names) this.shadowingNames.add(foldIdentifier(name));
    return withCtes(outer, names);
  }

  private record(node: AstNode, name: string, ctes: CteScope, inFromList: boolean): void {
    if ('column' in node) {
      this.qualified.push({ node, name });
      return;
    }
    if (typeof node.as === 'string') this.shadowingNames.add(foldIdentifier(node.as));
    const schema = schemaOf(node);
    const cte = inFromList && schema === undefined ? ctes.get(foldIdentifier(name)) : undefined;
    if (cte !== undefined) node.table = cte;
    else this.tables.push({ node, name, schema });
  }
}

/**
 * The parser hangs the next arms of a UNION/INTERSECT/EXCEPT (`_next`) and the whole set
 * operation's ORDER BY and LIMIT (`_orderby`, `_limit`) on its first arm. Unparenthesised, that
 * arm's WITH starts the statement and covers all of them; in `(WITH s AS (...) SELECT ...)
 * UNION SELECT ... FROM s` it covers only the parentheses, and the later `s` is a table.
 */
function isParenthesisedSetOperationArm(node: AstNode): boolean {
  return node.parentheses_symbol === true && (node._next != null || node._orderby != null || node._limit != null);
}

function cteName(definition: unknown): string {
  const name = isAstNode(definition) ? identifierName(definition.name) : undefined;
  if (name === undefined) throw new SqlRefusal('cannot read a WITH clause');
  return name;
}

function withCtes(outer: CteScope, names: readonly string[]): CteScope {
  if (names.length === 0) return outer;
  const scope = new Map(outer);
  for (const name of names) scope.set(foldIdentifier(name), name);
  return scope;
}

/** SQLite's and PostgreSQL's `schema.table` arrive as `db`; PostgreSQL's `db.schema.table` sets both. */
function schemaOf(node: AstNode): string | undefined {
  const db = identifierName(node.db);
  const schema = identifierName(node.schema);
  if (db !== undefined && schema !== undefined) return `${db}.${schema}`;
  return schema ?? db;
}
