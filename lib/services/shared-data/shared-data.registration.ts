import { SharedDataUnavailableError } from '../../errors/shared-data.errors.js';
import { HostTable, hostTableDialect } from '../../resources/tables/host-table.js';
import type { PluginEntityTables } from '../../resources/tables/plugin-entity-tables.js';
import { SHARED_DATA_DECLARED_TABLE, SHARED_DATA_TABLE } from './shared-data.table-names.js';
import { SharedDataTable } from './shared-data.table.js';

const SHARED_DATA_HOST_TABLE = new HostTable({
  name: 'shared-data',
  declaredTable: SHARED_DATA_DECLARED_TABLE,
  table: SHARED_DATA_TABLE,
  loadRow: async () => (await import('./shared-data.row.js')).SharedDataRow,
});

/** One registration per application, however many SharedDataService instances ask for it. */
const registrations = new WeakMap<PluginEntityTables, Promise<SharedDataTable>>();

/**
 * Adds the shared data row to the application's DataSource (see `HostTable`); the table is
 * created when the DataSource has `synchronize: true`, otherwise by the host (see `SharedDataRow`).
 * `tables` is undefined when the application has no DataSource.
 */
export function registerSharedDataTable(tables: PluginEntityTables | undefined): Promise<SharedDataTable> {
  if (tables === undefined) return Promise.reject(new SharedDataUnavailableError());
  let registration = registrations.get(tables);
  if (registration === undefined) {
    registration = registerNow(tables);
    registrations.set(tables, registration);
  }
  return registration;
}

async function registerNow(tables: PluginEntityTables): Promise<SharedDataTable> {
  const driver = tables.dataSource.options.type;
  if (hostTableDialect(tables) === undefined) throw new SharedDataUnavailableError(`it runs on SQLite (better-sqlite3) and PostgreSQL, not on "${driver}"`);
  return new SharedDataTable(await SHARED_DATA_HOST_TABLE.register(tables));
}
