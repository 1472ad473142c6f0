import type { Parser } from 'node-sql-parser';
import { collectTableReferences, type TableReferences } from './collect-table-references.js';
import { parseSql } from './parse-sql.js';
import type { AstNode } from './sql-ast.js';
import type { SqlDialect } from './sql-dialect.js';
import { checkStatementRules } from './sql-statement-rules.js';

/** What the guard knows of one SQL string whatever the policy: its statements and every table they name. */
export interface SqlAnalysis extends TableReferences {
  readonly statements: readonly AstNode[];
}

/** Parses `sql` (a shape if `shape`), refuses what no policy allows (throws SqlRefusal) and finds its tables. */
export function analyzeSql(parser: Parser, sql: string, dialect: SqlDialect, shape = false): SqlAnalysis {
  const statements = parseSql(parser, sql, dialect, shape);
  for (const statement of statements) checkStatementRules(statement, dialect);
  const references = statements.map(collectTableReferences);
  return {
    statements,
    tables: references.flatMap((reference) => reference.tables),
    qualifiers: references.flatMap((reference) => reference.qualifiers),
  };
}
