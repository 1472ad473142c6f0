import { HostTable, hostTableDialect } from '../resources/tables/host-table.js';
import type { PluginEntityTables } from '../resources/tables/plugin-entity-tables.js';
import { SqlLeaseStore } from './sql-lease-store.js';
import { TASK_LEASE_DECLARED_TABLE, TASK_LEASE_TABLE } from './task-lease.table-names.js';

const TASK_LEASE_HOST_TABLE = new HostTable({
  name: 'task-leases',
  declaredTable: TASK_LEASE_DECLARED_TABLE,
  table: TASK_LEASE_TABLE,
  loadRow: async () => (await import('./task-lease.row.js')).TaskLeaseRow,
});

/** Whether leases can live in this DataSource's database. */
export function supportsTaskLeases(tables: PluginEntityTables | undefined): tables is PluginEntityTables {
  return tables !== undefined && hostTableDialect(tables) !== undefined;
}

/**
 * Adds the lease row to the application's DataSource (see `HostTable`; created when the
 * DataSource synchronizes), and returns the store on it.
 */
export async function registerTaskLeaseStore(tables: PluginEntityTables): Promise<SqlLeaseStore> {
  return new SqlLeaseStore(await TASK_LEASE_HOST_TABLE.register(tables));
}
