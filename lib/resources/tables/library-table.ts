import type { DataSource, EntityMetadata } from 'typeorm';
import { withSchemaLock } from './schema-lock.js';

/**
 * Creates one of the library's own tables (shared data, task leases) from its registered
 * metadata when the DataSource does not synchronize, so an application on migrations needs no
 * DDL of its own for them; with `synchronize` TypeORM creates it. Once, whichever instances
 * boot together: under the schema lock, and only if the table is not there.
 */
export async function createLibraryTable(dataSource: DataSource, metadata: EntityMetadata): Promise<void> {
  if (dataSource.options.synchronize) return;
  const { Table } = await import('typeorm');
  await withSchemaLock(dataSource, async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.createTable(Table.create(metadata, dataSource.driver), true, false, true);
    } finally {
      await runner.release();
    }
  });
}
