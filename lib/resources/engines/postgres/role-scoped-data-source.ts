import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver.js';
import { PluginError } from '../../../errors/index.js';
import type { PgClient } from './pooled-transaction.js';
import type { RoleConnection } from './role-connection.js';

/** The parts of TypeORM's PostgresQueryRunner that the scoping replaces on one runner. */
interface PostgresQueryRunnerLike {
  connect(): Promise<unknown>;
  query(...args: unknown[]): Promise<unknown>;
  releasePostgresConnection(error?: Error): Promise<void>;
}

/** A connection of the plugin's own and its release, as TypeORM's driver hands out pooled ones. */
export type ObtainConnection = () => Promise<readonly [PgClient, (error?: Error) => void]>;

/**
 * A view of the application's DataSource for one plugin's repositories: every query runner it
 * creates (repositories, their manager, query builders, `transaction`) takes its connection
 * from `obtain` (the plugin's own) and talks to a RoleConnection instead of the client, so each
 * statement runs under the plugin's role. Metadata and driver stay the DataSource's own.
 */
export function roleScopedDataSource(dataSource: DataSource, obtain: ObtainConnection, connectionFor: (client: PgClient) => RoleConnection): DataSource {
  const scoped = Object.create(dataSource) as DataSource;
  // The runners' driver: the DataSource's, but for where connections come from.
  const driver = Object.create(dataSource.driver) as Driver & { obtainMasterConnection: ObtainConnection; obtainSlaveConnection: ObtainConnection };
  driver.obtainMasterConnection = obtain;
  driver.obtainSlaveConnection = obtain;
  const createQueryRunner = (mode: ReplicationMode = 'master'): QueryRunner => {
    const runner = driver.createQueryRunner(mode);
    scopeRunner(runner as QueryRunner & PostgresQueryRunnerLike, connectionFor);
    Object.assign(runner, { manager: scoped.createEntityManager(runner) });
    return runner;
  };
  Object.defineProperty(scoped, 'createQueryRunner', { value: createQueryRunner });
  Object.defineProperty(scoped, 'manager', { value: scoped.createEntityManager() });
  return scoped;
}

function scopeRunner(runner: PostgresQueryRunnerLike, connectionFor: (client: PgClient) => RoleConnection): void {
  const connect = runner.connect.bind(runner);
  const query = runner.query.bind(runner);
  const release = runner.releasePostgresConnection.bind(runner);
  let connection: RoleConnection | undefined;
  let client: PgClient | undefined;
  runner.connect = () =>
    connect().then((pooled) => {
      client = pooled as PgClient;
      return (connection ??= connectionFor(client));
    });
  // The library's refusals (TableAccessDeniedError, SqlTimeoutError...) reach the plugin as they are, not wrapped in QueryFailedError.
  runner.query = (...args) =>
    query(...args).catch((error: unknown) => {
      const cause = (error as { driverError?: unknown } | undefined)?.driverError;
      throw cause instanceof PluginError ? cause : error;
    });
  runner.releasePostgresConnection = async (error) => {
    // A transaction left open holds the plugin's role: the connection must not reach the pool in it.
    if (connection?.inTransaction === true && error === undefined) error = await client!.query('ROLLBACK').then(() => undefined, (failure: Error) => failure);
    return release(error);
  };
}
