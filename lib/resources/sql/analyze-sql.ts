import { checkBeforeParsing } from './parse-sql.js';
import { analyzePostgres } from './postgres/analyze-postgres.js';
import type { PostgresParse } from './postgres/load-postgres-parser.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlFacts } from './sql-facts.js';
import { checkDataAccess } from './sql-statement-rules.js';
import { readSqlite } from './sqlite/sqlite-reader.js';
import type { ShapeMarkers } from './statement-template.js';

/**
 * The facts of `sql` (a shape when `markers` is given), read by PostgreSQL's own parser or by
 * the SQLite reader; refuses (SqlRefusal) only what cannot be read. `parse` is PostgreSQL's.
 */
export function readSql(sql: string, dialect: SqlDialect, parse: PostgresParse | undefined, markers?: ShapeMarkers): SqlFacts {
  checkBeforeParsing(sql, dialect);
  if (dialect === 'sqlite') return readSqlite(sql);
  if (parse === undefined) throw new Error('the PostgreSQL parser is not loaded: build the guard with SqlGuard.open()');
  return analyzePostgres(parse, sql, markers);
}

/** readSql, then what no policy allows refused (throws SqlRefusal). */
export function analyzeSql(sql: string, dialect: SqlDialect, parse: PostgresParse | undefined, markers?: ShapeMarkers): SqlFacts {
  const facts = readSql(sql, dialect, parse, markers);
  checkDataAccess(facts, dialect);
  return facts;
}
