import type { DataSource } from 'typeorm';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import { runStatements } from '../run-statements.js';
import type { PluginSqlScope, SqlEngine } from '../sql-engine.interface.js';

/** PostgreSQL: runs what the guard approved. */
export class PostgresSqlEngine implements SqlEngine {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(statements: readonly PreparedStatement[], _scope: PluginSqlScope): Promise<T> {
    return runStatements(this.dataSource, statements);
  }
}
