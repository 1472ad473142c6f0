import type { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../resources/tables/schema-lock.js';

/** The PostgreSQL advisory lock key instances take around running plugin migrations (not the one around `synchronize`). */
const MIGRATION_LOCK_KEY = 4_711_020_619;

/** Per DataSource, one plugin's migrations at a time in this process, whatever the database. */
const localTurns = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` (read the ledger again, run what is still pending) while no other instance
 * does: a PostgreSQL session advisory lock on a connection of its own, as the migrations
 * take others from the pool. The instances that waited find the rows and run nothing.
 * On SQLite (one file, one instance) the in-process turn is the lock, and the ledger's
 * primary key refuses a second record of a migration.
 */
export function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const turn = (localTurns.get(dataSource) ?? Promise.resolve()).then(() =>
    dataSource.options.type === 'postgres' ? withAdvisoryLock(dataSource, MIGRATION_LOCK_KEY, work) : work(),
  );
  localTurns.set(dataSource, turn.catch(() => undefined));
  return turn;
}
