import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { SqlTimeoutError } from '../../../errors/index.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import { runStatements } from '../run-statements.js';
import type { PluginSqlScope, SqlEngine } from '../sql-engine.interface.js';
import { SqliteChildRunner } from './sqlite-child-runner.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { SqliteStatementVerifier } from './sqlite-statement-verifier.js';

/** A statement that reads or writes rows and cannot change the schema; after anything else, the schema is looked at again. */
const DATA_STATEMENT = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|VALUES)\b/i;

/** The verifier and runner that belong to one better-sqlite3 connection. */
interface ConnectionTools {
  readonly connection: SqliteConnection;
  readonly verifier: SqliteStatementVerifier;
  /** undefined for an in-memory database: no second connection can see it */
  readonly runner?: SqliteChildRunner;
}

/**
 * SQLite: every statement is verified against what SQLite compiled (SqliteStatementVerifier).
 * Bounded programs run in-process on the host's connection, as the host's own queries do;
 * the others run in a child process that is killed at `sqlTimeoutMs` (SqliteChildRunner), or,
 * on an in-memory database, are refused up front with SqlTimeoutError.
 */
export class SqliteSqlEngine implements SqlEngine {
  private tools?: ConnectionTools;
  private readonly schemaWatch: EntitySubscriberInterface = {
    afterQuery: (event: AfterQueryEvent) => {
      if (!DATA_STATEMENT.test(event.query)) this.tools?.verifier.schemaMayHaveChanged();
    },
  };

  constructor(private readonly dataSource: DataSource) {
    // TypeORM calls its subscribers after every query it runs, the host's DDL and migrations included.
    (dataSource.subscribers as EntitySubscriberInterface[]).push(this.schemaWatch);
  }

  /** Not `async`, for the same reason as PluginDatabase.executeQuery; a refusal is a rejection. */
  run<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    try {
      const { verifier, runner } = this.toolsForConnection();
      let bounded = true;
      for (const statement of statements) bounded = verifier.verify(statement, scope) && bounded;
      if (bounded) return runStatements(this.dataSource, statements);
      if (runner === undefined) throw new SqlTimeoutError(scope.pluginName, scope.timeoutMs);
      return runner.run<T>(statements, scope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): void {
    this.tools?.runner?.close();
    const subscribers = this.dataSource.subscribers as EntitySubscriberInterface[];
    const index = subscribers.indexOf(this.schemaWatch);
    if (index >= 0) subscribers.splice(index, 1);
  }

  private toolsForConnection(): ConnectionTools {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    if (this.tools?.connection === connection) return this.tools;
    this.tools?.runner?.close();
    const inMemory = connection.memory || connection.name === '';
    this.tools = {
      connection,
      verifier: new SqliteStatementVerifier(connection),
      runner: inMemory ? undefined : new SqliteChildRunner(connection.name, connection.readonly),
    };
    return this.tools;
  }
}
