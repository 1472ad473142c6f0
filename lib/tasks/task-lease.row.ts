import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TASK_LEASE_DECLARED_TABLE } from './task-lease.table-names.js';

/**
 * Leases of global tasks, described for TypeORM so that a DataSource with `synchronize: true`
 * creates the table; reads and writes go through `taskLeaseStatements`. Without `synchronize`
 * the library creates it from this description (`createLibraryTable`), as:
 *
 * ```sql
 * CREATE TABLE "plugin_task_leases" (
 *   "task_key"    varchar(512) PRIMARY KEY,
 *   "holder"      varchar(255) NOT NULL,
 *   "expires_at"  bigint       NOT NULL,
 *   "next_run_at" bigint       NOT NULL
 * );
 * ```
 *
 * Times are epoch ms of the database's clock, as the shared data table keeps them.
 */
@Entity(TASK_LEASE_DECLARED_TABLE)
export class TaskLeaseRow {
  /** `<plugin>/<task id>` */
  @PrimaryColumn('varchar', { name: 'task_key', length: 512 }) taskKey!: string;
  /** the node id of the instance holding (or last holding) the lease */
  @Column('varchar', { length: 255 }) holder!: string;
  @Column('bigint', { name: 'expires_at' }) expiresAt!: number;
  @Column('bigint', { name: 'next_run_at' }) nextRunAt!: number;
}
