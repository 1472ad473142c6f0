import { DEFAULT_SCHEMA } from '../sql-dialect.js';
import type { NamedTable, QualifierSpan, SqlFinding } from '../sql-facts.js';
import { MAX_SQL_NESTING, nestsTooDeep } from '../sql-nesting.js';
import { SqlRefusal } from '../sql-refusal.js';
import { POSTGRES_CAST_TYPE } from '../postgres-function-allow-list.js';
import { readPostgresName } from './name-spans.js';
import { isObject, nodeOf, stringConstant, stringList, type PgFields } from './postgres-tree.js';
import type { TextPositions } from './text-positions.js';

/** CTE names in scope, as the parser gives them (folded unless quoted). */
type CteScope = ReadonlySet<string>;

const STATEMENTS: ReadonlySet<string> = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const FROM_ITEMS_REFUSED: ReadonlySet<string> = new Set(['RangeTableSample', 'RangeTableFunc', 'JsonTable']);
const NO_CTES: CteScope = new Set();

/**
 * Reads PostgreSQL's parse tree of a plugin's statements: every table named (with its span in
 * the text), the columns qualified by a table's own name, every call, and what no policy
 * allows. CTE scopes are those of the tree, as PostgreSQL resolves them: a non-recursive CTE
 * sees its earlier siblings, a recursive one all of them; a FROM name matching a CTE in scope
 * is that CTE, an INSERT/UPDATE/DELETE target is always a table.
 */
export class PostgresTreeReader {
  readonly tables: NamedTable[] = [];
  readonly findings: SqlFinding[] = [];
  /** the `$n` the statements use, each time one appears */
  readonly parameters: number[] = [];
  private readonly unaliased = new Map<string, NamedTable>();
  /** aliases and CTE names: a qualifier spelled like one of them does not name a table */
  private readonly shadowing = new Set<string>();
  /** `users.id` (`schema` undefined) and `public.users.id` */
  private readonly qualified: { schema?: string; name: string; location: unknown }[] = [];

  constructor(
    private readonly text: string,
    private readonly positions: TextPositions,
  ) {}

  /** Reads one statement's tree; throws nestsTooDeep() past MAX_SQL_NESTING nodes deep, before recursing further. */
  read(statement: unknown): void {
    this.visit(statement, NO_CTES, 0);
  }

  qualifiers(): QualifierSpan[] {
    const spans: QualifierSpan[] = [];
    for (const { schema, name, location } of this.qualified) {
      const table = this.shadowing.has(name) || (schema !== undefined && schema !== DEFAULT_SCHEMA.postgresql) ? undefined : this.unaliased.get(name);
      if (table === undefined) continue;
      const written = schema === undefined ? [name] : [schema, name];
      const span = readPostgresName(this.text, this.positions.index(location), written.length);
      const located = span !== undefined && span.parts.every((part, index) => part === written[index]);
      spans.push({ start: located ? span.start : -1, end: located ? span.end : -1, table });
    }
    return spans;
  }

  private visit(value: unknown, ctes: CteScope, outerDepth: number): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, ctes, outerDepth);
      return;
    }
    const node = nodeOf(value);
    if (node === undefined) {
      if (isObject(value)) this.visitFields(value, ctes, outerDepth);
      return;
    }
    const depth = outerDepth + 1;
    if (depth > MAX_SQL_NESTING) throw nestsTooDeep();
    const [type, fields] = node;
    if (STATEMENTS.has(type)) return this.statement(type, fields, ctes, depth);
    switch (type) {
      case 'RangeVar':
        this.rangeVar(fields, ctes, false);
        return;
      case 'RangeSubselect':
        this.alias(fields);
        break;
      case 'JoinExpr':
        this.join(fields);
        break;
      case 'RangeFunction':
        this.refuse(`table-valued functions are not allowed in FROM (${rangeFunctionName(fields)})`);
        break;
      case 'FuncCall':
        this.call(fields);
        break;
      case 'ColumnRef':
        this.columnRef(fields);
        return;
      case 'ParamRef':
        if (typeof fields.number === 'number') this.parameters.push(fields.number);
        return;
      case 'A_Expr':
        if (Array.isArray(fields.name) && fields.name.length > 1) this.refuse('schema-qualified operators are not allowed');
        break;
      case 'XmlExpr':
      case 'XmlSerialize':
        this.refuse('XML functions are not allowed');
        break;
      default:
        if (FROM_ITEMS_REFUSED.has(type)) this.refuse('only tables and sub-queries may appear in FROM');
    }
    this.visitFields(fields, ctes, depth);
  }

  private visitFields(fields: PgFields, ctes: CteScope, depth: number, skip?: ReadonlySet<string>): void {
    for (const key in fields) {
      if (skip?.has(key)) continue;
      const child = fields[key];
      if (typeof child !== 'object' || child === null) continue;
      if (key === 'typeName' && isObject(child)) this.castType(child);
      this.visit(child, ctes, depth);
    }
  }

  private statement(type: string, fields: PgFields, outer: CteScope, depth: number): void {
    const ctes = isObject(fields.withClause) ? this.withClause(fields.withClause, outer, depth) : outer;
    if (type === 'SelectStmt' && fields.intoClause != null) this.refuse('SELECT INTO is not allowed');
    if (isObject(fields.relation)) this.rangeVar(fields.relation, ctes, true);
    this.visitFields(fields, ctes, depth, STATEMENT_PARTS_READ);
  }

  private withClause(clause: PgFields, outer: CteScope, depth: number): CteScope {
    const definitions = (Array.isArray(clause.ctes) ? clause.ctes : []).map(nodeOf);
    const names = definitions.map((definition) => {
      if (definition?.[0] !== 'CommonTableExpr' || typeof definition[1].ctename !== 'string') throw new SqlRefusal('cannot read a WITH clause');
      return definition[1].ctename;
    });
    const recursive = clause.recursive === true;
    definitions.forEach((definition, index) => this.visitFields(definition![1], withNames(outer, recursive ? names : names.slice(0, index)), depth + 1));
    for (const name of names) this.shadowing.add(name);
    return withNames(outer, names);
  }

  private rangeVar(fields: PgFields, ctes: CteScope, target: boolean): void {
    const name = typeof fields.relname === 'string' ? fields.relname : undefined;
    if (name === undefined) throw new SqlRefusal('cannot read a table name');
    const schema = typeof fields.schemaname === 'string' ? fields.schemaname : undefined;
    const catalog = typeof fields.catalogname === 'string' ? fields.catalogname : undefined;
    const aliased = this.alias(fields);
    if (!target && schema === undefined && catalog === undefined && ctes.has(name)) return;
    const written = [catalog, schema, name].filter((part): part is string => part !== undefined);
    const span = readPostgresName(this.text, this.positions.index(fields.location), written.length);
    const located = span !== undefined && span.parts.every((part, index) => part === written[index]);
    const table: NamedTable = {
      name,
      schema: catalog === undefined ? schema : `${catalog}.${schema}`,
      start: located ? span.start : -1,
      end: located ? span.end : -1,
    };
    this.tables.push(table);
    if (!aliased) this.unaliased.set(name, table);
  }

  /** Remembers the alias of a FROM item; whether it has one. */
  private alias(fields: PgFields): boolean {
    const alias = isObject(fields.alias) && typeof fields.alias.aliasname === 'string' ? fields.alias.aliasname : undefined;
    if (alias !== undefined) this.shadowing.add(alias);
    return alias !== undefined;
  }

  /** NATURAL and CROSS joins are refused as they always were: a join says how its sides meet. */
  private join(fields: PgFields): void {
    this.alias(fields);
    if (fields.isNatural === true) this.refuse('NATURAL JOIN is not supported; use JOIN ... ON or USING');
    else if (fields.jointype === 'JOIN_INNER' && fields.quals == null && fields.usingClause == null) {
      this.refuse('CROSS JOIN is not supported; use JOIN ... ON or USING');
    }
  }

  /**
   * A call by name. SQL forms the grammar turns into calls (`EXTRACT(... FROM ...)`, `TRIM`,
   * `AT TIME ZONE`) name pg_catalog's function; they are judged by that function's name.
   */
  private call(fields: PgFields): void {
    const parts = stringList(fields.funcname);
    if (parts === undefined || parts.length === 0 || parts.length > 2) throw new SqlRefusal('cannot read a function call');
    const sqlForm = fields.funcformat === 'COERCE_SQL_SYNTAX' && parts.length === 2 && parts[0] === 'pg_catalog';
    const args = Array.isArray(fields.args) ? fields.args : [];
    const schema = parts.length === 2 && !sqlForm ? parts[0] : undefined;
    this.findings.push({ call: { schema, name: parts.at(-1)!, firstStringArgument: stringConstant(args[0]) } });
  }

  private columnRef(fields: PgFields): void {
    const parts = Array.isArray(fields.fields) ? fields.fields : [];
    const qualifier = parts.length >= 3 ? stringList(parts.slice(0, 2)) : parts.length === 2 ? stringList(parts.slice(0, 1)) : undefined;
    if (qualifier === undefined) return;
    const [schema, name] = qualifier.length === 2 ? qualifier : [undefined, qualifier[0]!];
    this.qualified.push({ schema, name: name!, location: fields.location });
  }

  /** Casts (and typed literals) to ordinary value types only: reg*, oid and the like look up or reach catalogs. */
  private castType(typeName: PgFields): void {
    const names = stringList(typeName.names);
    if (names === undefined || typeName.pct_type != null || typeName.setof === true) return this.refuse('casts to this type are not allowed');
    const name = names.length === 2 && names[0] === 'pg_catalog' ? names[1]! : names.join('.');
    const arrays = Array.isArray(typeName.arrayBounds) ? '[]'.repeat(typeName.arrayBounds.length) : '';
    if (/^reg/i.test(name) || !POSTGRES_CAST_TYPE.test(name + arrays)) this.refuse(`casts to ${name} are not allowed`);
  }

  private refuse(refusal: string): void {
    this.findings.push({ refusal });
  }
}

/** Read by statement() itself: the WITH clause and the target; SELECT INTO is refused. */
const STATEMENT_PARTS_READ: ReadonlySet<string> = new Set(['withClause', 'relation', 'intoClause']);

function withNames(outer: CteScope, names: readonly string[]): CteScope {
  return names.length === 0 ? outer : new Set([...outer, ...names]);
}

function rangeFunctionName(fields: PgFields): string {
  const list = Array.isArray(fields.functions) ? nodeOf(fields.functions[0]) : undefined;
  const items = list?.[0] === 'List' && Array.isArray(list[1].items) ? list[1].items : [];
  const call = nodeOf(items[0]);
  const name = call?.[0] === 'FuncCall' ? stringList(call[1].funcname) : undefined;
  return name?.at(-1) ?? 'a function';
}
