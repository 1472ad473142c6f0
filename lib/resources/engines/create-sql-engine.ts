import type { DataSource } from 'typeorm';
import type { SqlDialect } from '../sql/sql-dialect.js';
import { PostgresSqlEngine } from './postgres/postgres-sql-engine.js';
import type { SqlEngine } from './sql-engine.interface.js';
import { SqliteSqlEngine } from './sqlite/sqlite-sql-engine.js';

/** The engine that has the last word on plugins' raw SQL for this DataSource. */
export function createSqlEngine(dataSource: DataSource, dialect: SqlDialect): SqlEngine {
  return dialect === 'sqlite' ? new SqliteSqlEngine(dataSource) : new PostgresSqlEngine(dataSource);
}
