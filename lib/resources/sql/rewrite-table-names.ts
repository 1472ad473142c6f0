import type { AST, Parser } from 'node-sql-parser';
import { SqlNotAllowedError } from '../../errors/index.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { analyzeSql, type SqlAnalysis } from './analyze-sql.js';
import type { AstNode } from './sql-ast.js';
import type { SqlDialect } from './sql-dialect.js';
import { realTableName } from './sql-table-rules.js';
import { containsComment } from './sql-text.js';

/**
 * The analysed statements printed with the policy's real table names, one string per
 * statement; throws the first denial. Every table is checked before anything is renamed. The
 * analysis's AST is renamed in place and every name is written on each call, so one policy's
 * names never leak into another's output. `shape`: the analysis is of a shape, whose literal
 * markers the printed statements keep.
 */
export function rewriteTableNames(parser: Parser, analysis: SqlAnalysis, policy: ResourcePolicy, dialect: SqlDialect, shape = false): string[] {
  const printed = printWithRealNames(parser, analysis, policy, dialect);
  verifyPrinted(parser, printed, policy, dialect, shape);
  return printed.statements;
}

/** The statements printed with real names, and the real names they may name. */
export interface PrintedStatements {
  readonly statements: string[];
  readonly approved: ReadonlySet<string>;
}

/** rewriteTableNames' first half: check, rename and print. */
export function printWithRealNames(parser: Parser, analysis: SqlAnalysis, policy: ResourcePolicy, dialect: SqlDialect): PrintedStatements {
  const realNames = new Map(analysis.tables.map((table) => [table, realTableName(table, policy, dialect)]));
  for (const [table, realName] of realNames) rename(table.node, realName);
  for (const qualifier of analysis.qualifiers) rename(qualifier.node, realNames.get(qualifier.table)!);
  const statements = analysis.statements.map((statement) => print(parser, statement, policy, dialect));
  return { statements, approved: new Set(realNames.values()) };
}

function print(parser: Parser, statement: AstNode, policy: ResourcePolicy, dialect: SqlDialect): string {
  try {
    return parser.sqlify(statement as unknown as AST, { database: dialect });
  } catch {
    throw new SqlNotAllowedError(policy.pluginName, 'the guard cannot print this statement back');
  }
}

/** Real names are emitted without a schema: unqualified names resolve to the default one, and mapped names are used verbatim. */
function rename(node: AstNode, realName: string): void {
  node.table = realName;
  if ('db' in node) node.db = null;
  delete node.schema;
}

/**
 * What runs is what sqlify printed, not the AST that was checked, and sqlify copies some names
 * verbatim (a COLLATE name, for one), so a quoted name can come out as code. Each printed
 * statement is therefore parsed again and must be one statement, without comments, naming only
 * the real tables just approved.
 */
export function verifyPrinted(parser: Parser, { statements, approved }: PrintedStatements, policy: ResourcePolicy, dialect: SqlDialect, shape = false): void {
  for (const statement of statements) {
    const printed = containsComment(statement, dialect) ? undefined : analyzeOrUndefined(parser, statement, dialect, shape);
    const faithful =
      printed !== undefined &&
      printed.statements.length === 1 &&
      printed.tables.every((table) => table.schema === undefined && approved.has(table.name));
    if (!faithful) throw new SqlNotAllowedError(policy.pluginName, 'the rewritten SQL did not pass verification');
  }
}

function analyzeOrUndefined(parser: Parser, sql: string, dialect: SqlDialect, shape: boolean): SqlAnalysis | undefined {
  try {
    return analyzeSql(parser, sql, dialect, shape);
  } catch {
    return undefined;
  }
}
