import type { DataSource } from 'typeorm';
import type { PreparedStatement } from '../sql/prepared-statement.js';

/** Runs the statements on the DataSource: one alone, several in one transaction on one connection. */
export function runStatements<T>(dataSource: DataSource, statements: readonly PreparedStatement[]): Promise<T> {
  if (statements.length === 1) return dataSource.query(statements[0]!.sql, statements[0]!.params as unknown[]);
  return dataSource.transaction(async (manager) => {
    let result: unknown;
    for (const statement of statements) result = await manager.query(statement.sql, [...statement.params]);
    return result as T;
  });
}
