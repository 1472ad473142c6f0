import type { ProgramStep } from './sqlite-program.js';

/** The parts of a better-sqlite3 statement this engine uses. */
export interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  pluck(): SqliteStatement;
  get(...params: unknown[]): unknown;
}

/** The parts of a better-sqlite3 Database this engine uses (TypeORM's `driver.databaseConnection`). */
export interface SqliteConnection {
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): unknown;
}

/** better-sqlite3 binds no booleans; TypeORM sends them as 0 and 1, and so do we. */
export function bindable(params: readonly unknown[]): unknown[] {
  return params.map((param) => (typeof param === 'boolean' ? (param ? 1 : 0) : param));
}

/** What SQLite compiled `sql` to: the program EXPLAIN lists, parameters bound as they will be. */
export function compiledProgram(connection: SqliteConnection, sql: string, params: readonly unknown[]): ProgramStep[] {
  return connection.prepare(`EXPLAIN ${sql}`).all(...bindable(params)) as ProgramStep[];
}
