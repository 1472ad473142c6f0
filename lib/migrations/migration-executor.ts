import type { MigrationPolicy } from '../resources/sql/migration-statement.js';
import type { MigrationStatementKind } from '../resources/sql/migration-statement.js';

/**
 * The engine's part in a migration: runs one statement the guard allowed, on the migration's
 * own transaction, so that the engine has the last word on what it reaches.
 */
export interface MigrationExecutor {
  /** the names the guard checks statements against */
  readonly policy: MigrationPolicy;
  run(kind: MigrationStatementKind, sql: string, params: unknown[] | undefined, structured: boolean | undefined): Promise<unknown>;
}
