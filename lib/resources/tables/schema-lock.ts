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
  return withAdvisoryLock(dataSource, SCHEMA_LOCK_KEY, change);
}

/** Runs `work` holding the PostgreSQL session advisory lock `key`, on a connection of its own. */
export async function withAdvisoryLock<T>(dataSource: DataSource, key: number, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock(${key})`);
    try {
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${key})`);
    }
  } finally {
    await runner.release();
  }
}
