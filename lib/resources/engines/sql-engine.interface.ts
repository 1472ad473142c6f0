import type { DataSource } from 'typeorm';
import type { ResourcePolicy } from '../resource-policy.js';
import type { PreparedStatement } from '../sql/prepared-statement.js';

/** Who runs the statements and within which bounds. */
export interface PluginSqlScope {
  readonly pluginName: string;
  /** the policy in force: allowed tables and their real names */
  readonly policy: ResourcePolicy;
  /** `sqlTimeoutMs` */
  readonly timeoutMs: number;
}

/**
 * The engine's last word on a plugin's raw SQL. The guard has parsed, checked and rewritten
 * the statements; the engine verifies them against what it will really execute and runs them
 * within the scope's bounds, all of them together or none.
 */
export interface SqlEngine {
  run<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T>;
  /** Releases what the engine holds beside the DataSource (a child process, say); called when the application shuts down. */
  close(): void;
  /** Drops what the engine remembers of a plugin (PostgreSQL: its aligned role), after the plugin's data was purged. */
  forget?(pluginName: string): void;
  /** PostgreSQL: the DataSource the plugin's repositories run on, each statement under the plugin's role; without it they use the application's (SQLite: scoped by entity registration). */
  repositoryDataSource?(scope: () => PluginSqlScope): DataSource;
}
