import { foldIdentifier, identifierName, isAstNode, visitAst, type AstNode, type AstPosition } from './sql-ast.js';
import { POSTGRES_ALLOWED_FUNCTIONS, POSTGRES_CAST_TYPE } from './postgres-function-allow-list.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlRefusal } from './sql-refusal.js';

/** Plain data access; REPLACE is SQLite's INSERT OR REPLACE, the only upsert its grammar parses. */
const ALLOWED_STATEMENT_TYPES: ReadonlySet<string> = new Set(['select', 'insert', 'replace', 'update', 'delete']);

/** Statements that change the schema, the session, the connection or files; named when refused before parsing. */
export const NEVER_ALLOWED_STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'abort', 'alter', 'analyze', 'attach', 'begin', 'call', 'checkpoint', 'close', 'cluster', 'comment', 'commit', 'copy',
  'create', 'deallocate', 'declare', 'detach', 'discard', 'do', 'drop', 'end', 'execute', 'explain', 'fetch', 'grant',
  'import', 'listen', 'load', 'lock', 'merge', 'move', 'notify', 'pragma', 'prepare', 'reassign', 'refresh', 'reindex',
  'release', 'reset', 'revoke', 'rollback', 'savepoint', 'security', 'set', 'show', 'start', 'table', 'truncate',
  'unlisten', 'vacuum', 'values',
]);

/**
 * SQLite functions that read or write files, load code, leak pointers or run SQL of their own:
 * a deny-list here, since the SQLite engine checks the functions of the compiled program
 * against its own allow-list. PostgreSQL calls are checked against an allow-list instead.
 */
const SQLITE_DANGEROUS_FUNCTIONS: ReadonlySet<string> = new Set([
  'load_extension', 'readfile', 'writefile', 'edit', 'eval', 'fts3_tokenizer', 'fts5', 'fsdir', 'lsmode', 'zipfile',
  'zipfile_cds', 'sqlar_compress', 'sqlar_uncompress',
]);

/** How the parsers tag calls: `window_func` is ROW_NUMBER() and the like, `tablefunc` PostgreSQL's crosstab(). */
export const FUNCTION_CALL_TYPES: ReadonlySet<unknown> = new Set(['function', 'aggr_func', 'window_func', 'tablefunc']);

/** sqlite_*, pragma_* (SQLite's own introspection). */
const SQLITE_DANGEROUS_FUNCTION_PATTERN = /^(sqlite_|pragma_)/;

/**
 * Throws SqlRefusal unless `statement` is plain data access: allowed kind, safe functions (or
 * calls `allowsCall` accepts), tables or sub-queries in FROM.
 */
export function checkStatementRules(statement: AstNode, dialect: SqlDialect, allowsCall: (node: AstNode) => boolean = () => false): void {
  const type = String(statement.type);
  if (!ALLOWED_STATEMENT_TYPES.has(type)) throw new SqlRefusal(`${statementKindName(type)} statements are not allowed`);
  visitAst(statement, (node, position) => {
    const refusal = (allowsCall(node) ? undefined : functionRefusal(node, dialect)) ?? fromItemRefusal(node, position) ?? expressionRefusal(node, dialect);
    if (refusal !== undefined) throw new SqlRefusal(refusal);
  });
}

function statementKindName(type: string): string {
  return type === 'transaction' ? 'BEGIN/COMMIT/ROLLBACK' : type.toUpperCase();
}

function functionRefusal(node: AstNode, dialect: SqlDialect): string | undefined {
  if (!FUNCTION_CALL_TYPES.has(node.type)) return undefined;
  const { schema, name } = functionNameOf(node);
  if (schema !== undefined) return `schema-qualified function calls are not allowed (${schema}.${name})`;
  return isAllowedFunction(foldIdentifier(name), dialect) ? undefined : `function ${name}() is not allowed`;
}

/** Whether a plugin's SQL may call the function of this (case-folded) name: PostgreSQL's allow-list, SQLite's deny-list. */
export function isAllowedFunction(folded: string, dialect: SqlDialect): boolean {
  if (dialect === 'postgresql') return POSTGRES_ALLOWED_FUNCTIONS.has(folded);
  return !SQLITE_DANGEROUS_FUNCTIONS.has(folded) && !SQLITE_DANGEROUS_FUNCTION_PATTERN.test(folded);
}

/**
 * FROM lists and INSERT/UPDATE/DELETE targets: tables and sub-queries only. Table-valued
 * functions (pragma_table_info, json_each, generate_series...) read what no allow-list names.
 * The parsers read NATURAL and CROSS before JOIN as aliases and drop the join's meaning.
 */
function fromItemRefusal(node: AstNode, { parent, key }: AstPosition): string | undefined {
  if (!isFromItem(parent, key)) return undefined;
  if (typeof node.as === 'string' && ['natural', 'cross'].includes(foldIdentifier(node.as))) {
    return `${node.as.toUpperCase()} JOIN is not supported; use JOIN ... ON or USING`;
  }
  if (typeof node.table === 'string') return undefined;
  if (isAstNode(node.expr) && isAstNode(node.expr.ast)) return undefined;
  if (isAstNode(node.expr) && FUNCTION_CALL_TYPES.has(node.expr.type)) {
    return `table-valued functions are not allowed in FROM (${functionNameOf(node.expr).name})`;
  }
  return 'only tables and sub-queries may appear in FROM';
}

/** An entry of a statement's FROM list, or of an INSERT/UPDATE/DELETE's target list. */
function isFromItem(parent: AstNode | undefined, key: string | undefined): boolean {
  return parent !== undefined && (key === 'from' || key === 'table') && ALLOWED_STATEMENT_TYPES.has(String(parent.type));
}

/**
 * SELECT INTO creates a table; reg* casts look names up in the catalogs. Parameters are `?`
 * (SQLite; the parser gives `origin` nodes) or `$1` (PostgreSQL): named ones cannot be bound
 * from an array, and SQLite reads `$name(...)` or `#name` as one token where the parser does
 * not. Dollar-quoted strings end where the parser and PostgreSQL might disagree.
 */
function expressionRefusal(node: AstNode, dialect: SqlDialect): string | undefined {
  if (node.type === 'select' && isAstNode(node.into) && node.into.expr != null) return 'SELECT INTO is not allowed';
  if (node.type === 'cast' && Array.isArray(node.target)) {
    const refused = node.target.find((target) => isCatalogLookupType(target) || (dialect === 'postgresql' && !isOrdinaryPostgresType(target)));
    if (refused !== undefined) return `casts to ${castTypeName(refused)} are not allowed`;
  }
  if (isInWithoutList(node)) return 'IN takes a parenthesised list or sub-query';
  if (node.type === 'var' && node.suffix !== undefined) return 'dollar-quoted strings are not allowed; pass such values as parameters';
  if (node.type === 'param' || (node.type === 'var' && !(node.prefix === '$' && typeof node.name === 'number'))) {
    return 'named parameters are not supported; use ? (SQLite) or $1, $2... (PostgreSQL)';
  }
  return undefined;
}

function isCatalogLookupType(target: unknown): boolean {
  return isAstNode(target) && typeof target.dataType === 'string' && /^reg/i.test(target.dataType);
}

function isOrdinaryPostgresType(target: unknown): boolean {
  return isAstNode(target) && typeof target.dataType === 'string' && POSTGRES_CAST_TYPE.test(target.dataType.toLowerCase().replace(/\s+/g, ' ').trim());
}

function castTypeName(target: unknown): string {
  return isAstNode(target) && typeof target.dataType === 'string' ? target.dataType.toLowerCase() : 'this type';
}

/**
 * SQLite reads `x IN name` and `x IN 'name'` as a lookup in the table `name`, which the parser
 * takes for a value; PostgreSQL has no such form.
 */
function isInWithoutList(node: AstNode): boolean {
  if (node.type !== 'binary_expr' || typeof node.operator !== 'string' || !/^(NOT )?IN$/i.test(node.operator)) return false;
  return !(isAstNode(node.right) && node.right.type === 'expr_list');
}

/** `name` is a string for aggregates and window functions, `{ name: [{ value }], schema?: { value } }` for other calls. */
export function functionNameOf(node: AstNode): { schema?: string; name: string } {
  if (typeof node.name === 'string') return { name: node.name };
  const qualified = isAstNode(node.name) ? node.name : {};
  const parts = Array.isArray(qualified.name) ? qualified.name.map(identifierName) : [];
  const schema = qualified.schema == null ? undefined : identifierName(qualified.schema);
  // A call the guard cannot name could be anything: refuse it rather than let it through.
  if (parts.length !== 1 || parts[0] === undefined || (qualified.schema != null && schema === undefined)) {
    throw new SqlRefusal('cannot read a function call');
  }
  return { schema, name: parts[0] };
}
