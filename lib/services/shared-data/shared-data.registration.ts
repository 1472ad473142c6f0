import { SharedDataUnavailableError } from '../../errors/shared-data.errors.js';
import { ResourcePolicy } from '../../resources/resource-policy.js';
import type { PluginEntityTables } from '../../resources/tables/plugin-entity-tables.js';
import { createLibraryTable } from '../../resources/tables/library-table.js';
import { SHARED_DATA_DECLARED_TABLE, SHARED_DATA_TABLE } from './shared-data.table-names.js';
import { SharedDataTable } from './shared-data.table.js';

/** The drivers whose SQL `SharedDataStatements` is written in and tested on. */
const SUPPORTED_DRIVERS: ReadonlySet<string> = new Set(['better-sqlite3', 'postgres']);

/** Allows the row's declared table and maps it to the library's own, unprefixed, table. */
const SHARED_DATA_POLICY = new ResourcePolicy(
  'shared-data',
  { name: 'shared-data', allowedTables: [SHARED_DATA_DECLARED_TABLE] },
  { tableNameMap: { [SHARED_DATA_DECLARED_TABLE]: SHARED_DATA_TABLE } },
);

/** One registration per application, however many SharedDataService instances ask for it. */
const registrations = new WeakMap<PluginEntityTables, Promise<SharedDataTable>>();

/**
 * Adds the shared data row to the application's DataSource, as plugin entities are added
 * (and through the same queue, so its synchronization never overlaps theirs); the table is
 * created when the DataSource has `synchronize: true`, otherwise by the library (`createLibraryTable`).
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
  if (!SUPPORTED_DRIVERS.has(driver)) throw new SharedDataUnavailableError(`it runs on SQLite (better-sqlite3) and PostgreSQL, not on "${driver}"`);
  // Loaded here, not when the library is imported: its decorators need `typeorm`, an optional peer.
  const { SharedDataRow } = await import('./shared-data.row.js');
  const [metadata] = await tables.register([SharedDataRow], SHARED_DATA_POLICY);
  await createLibraryTable(tables.dataSource, metadata!);
  return new SharedDataTable(tables.dataSource, metadata!);
}
