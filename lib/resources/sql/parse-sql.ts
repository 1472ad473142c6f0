import type { Parser } from 'node-sql-parser';
import { isAstNode, visitAst, type AstNode } from './sql-ast.js';
import type { SqlDialect } from './sql-dialect.js';
import { assertNestingWithin, assertOperatorChainsWithin, isStackOverflow, nestsTooDeep } from './sql-nesting.js';
import { SqlRefusal } from './sql-refusal.js';
import { isSqliteMarkerName } from './sql-shape.js';
import { NEVER_ALLOWED_STATEMENT_KEYWORDS } from './sql-statement-rules.js';
import { normalizeSqlText, POSITIONAL_PARAMETER_STAND_IN, statementKeywords } from './sql-text.js';

/** A statement the parser could not read, as opposed to one it read and refused. */
export class UnparseableSql extends SqlRefusal {}

/**
 * The statements of `sql` as node-sql-parser's AST, one node per statement; throws SqlRefusal.
 * `shape`: `sql` is a shape (see sql-shape.ts) whose SQLite literal markers are not the
 * caller's named parameters.
 */
export function parseSql(parser: Parser, sql: string, dialect: SqlDialect, shape = false): AstNode[] {
  checkBeforeParsing(sql, dialect);
  let ast: unknown;
  try {
    ast = parser.astify(normalizeSqlText(sql, dialect), { database: dialect });
  } catch (error) {
    throw isStackOverflow(error) ? nestsTooDeep() : unparseable(sql, dialect, error);
  }
  assertNestingWithin(ast);
  // A lone `;` parses as an empty list.
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((statement) => !(Array.isArray(statement) && statement.length === 0));
  if (statements.length === 0) throw new SqlRefusal('there is no statement to run');
  if (!statements.every(isAstNode)) throw new SqlRefusal('cannot parse it: unrecognised statement');
  if (dialect === 'sqlite') visitAst(statements, (node) => prepareSqliteNodeForPrinting(node, shape));
  return statements;
}

/** The refusals that need no parse (linear scans of the text); throws SqlRefusal. */
export function checkBeforeParsing(sql: string, dialect: SqlDialect): void {
  // The parser reads `\'` as an escaped quote inside strings and identifiers, which neither
  // database does: the two would disagree on where a string ends, and so on what is code.
  if (sql.includes('\\')) throw new SqlRefusal('backslashes are not allowed in SQL text; pass such values as parameters');
  assertOperatorChainsWithin(sql, dialect);
}

/**
 * So that sqlify prints what was parsed: `?` comes back from its stand-in, and INSERT column
 * names, which the SQLite printer copies as bare text (`"order"` would print as `order`, and
 * `"a) SELECT ..."` as code), are quoted.
 */
function prepareSqliteNodeForPrinting(node: AstNode, shape: boolean): void {
  if (node.type === 'param' && node.value === POSITIONAL_PARAMETER_STAND_IN) {
    node.type = 'origin';
    node.value = '?';
  }
  if (shape && node.type === 'param' && isSqliteMarkerName(node.value)) {
    node.type = 'origin';
    node.value = `:${node.value}`;
  }
  if ((node.type === 'insert' || node.type === 'replace') && Array.isArray(node.columns)) {
    node.columns = node.columns.map((column) => (typeof column === 'string' ? `"${column.replaceAll('"', '""')}"` : column));
  }
}

/** Names the statement kind when one is never allowed (PRAGMA, VACUUM, COPY... do not parse), else the parser's complaint. */
function unparseable(sql: string, dialect: SqlDialect, error: unknown): SqlRefusal {
  const keyword = statementKeywords(sql, dialect).find((candidate) => NEVER_ALLOWED_STATEMENT_KEYWORDS.has(candidate));
  if (keyword !== undefined) return new SqlRefusal(`${keyword.toUpperCase()} statements are not allowed`);
  return new UnparseableSql(`cannot parse it: ${parserComplaint(error)}`);
}

/** The parser lists every token it expected; the token it found and where is what helps. */
function parserComplaint(error: unknown): string {
  const { found, location } = (error ?? {}) as { found?: unknown; location?: { start?: { line?: unknown } } };
  const line = location?.start?.line;
  if (found === null) return 'unexpected end of input';
  if (typeof found === 'string' && typeof line === 'number') return `unexpected ${JSON.stringify(found)} on line ${line}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.slice(0, 120);
}
