import type { DataSource } from 'typeorm';

/** The PostgreSQL advisory lock key every instance of every application takes around schema changes. */
const SCHEMA_LOCK_KEY = 4_711_020_611;

/**
 * Runs `change` while holding a PostgreSQL advisory lock, so instances that boot together
 * create each table once: the second waits, then finds the table there. A session lock on
 * a connection of its own: TypeORM's `synchronize` takes other connections from the pool.
 * SQLite serializes writers itself, so there it just runs.
 */
export async function withSchemaLock<T>(dataSource: DataSource, change: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return change();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock(${SCHEMA_LOCK_KEY})`);
    try {
      return await change();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${SCHEMA_LOCK_KEY})`);
    }
  } finally {
    await runner.release();
  }
}
