import { ResourcePolicy } from '../resources/resource-policy.js';
import type { PluginEntityTables } from '../resources/tables/plugin-entity-tables.js';
import { createLibraryTable } from '../resources/tables/library-table.js';
import { SqlLeaseStore } from './sql-lease-store.js';
import { TASK_LEASE_DECLARED_TABLE, TASK_LEASE_TABLE } from './task-lease.table-names.js';
import type { TaskLeaseDialect } from './task-lease.statements.js';

/** The drivers the lease SQL is written in and tested on. */
const DIALECTS: ReadonlyMap<string, TaskLeaseDialect> = new Map([
  ['better-sqlite3', 'sqlite'],
  ['postgres', 'postgres'],
]);

/** Allows the row's declared table and maps it to the library's own, unprefixed, table. */
const TASK_LEASE_POLICY = new ResourcePolicy(
  'task-leases',
  { name: 'task-leases', allowedTables: [TASK_LEASE_DECLARED_TABLE] },
  { tableNameMap: { [TASK_LEASE_DECLARED_TABLE]: TASK_LEASE_TABLE } },
);

/** Whether leases can live in this DataSource's database. */
export function supportsTaskLeases(tables: PluginEntityTables | undefined): tables is PluginEntityTables {
  return tables !== undefined && DIALECTS.has(tables.dataSource.options.type);
}

/**
 * Adds the lease row to the application's DataSource through the queue plugin entities use
 * (created when the DataSource synchronizes, else by `createLibraryTable`), and returns the store on it.
 */
export async function registerTaskLeaseStore(tables: PluginEntityTables): Promise<SqlLeaseStore> {
  const dialect = DIALECTS.get(tables.dataSource.options.type)!;
  // Loaded here, not when the library is imported: its decorators need `typeorm`, an optional peer.
  const { TaskLeaseRow } = await import('./task-lease.row.js');
  const [metadata] = await tables.register([TaskLeaseRow], TASK_LEASE_POLICY);
  await createLibraryTable(tables.dataSource, metadata!);
  return new SqlLeaseStore(tables.dataSource, metadata!, dialect);
}
