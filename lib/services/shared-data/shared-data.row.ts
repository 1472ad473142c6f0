import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SHARED_DATA_DECLARED_TABLE, SHARED_DATA_TABLE } from './shared-data.table-names.js';

/**
 * The table shared data lives in, described for TypeORM so that a DataSource with
 * `synchronize: true` creates it. Reads and writes go through `SharedDataStatements`, not a
 * repository, so the properties only shape the schema. The file is not named `*.entity.ts`
 * so that a host's entity glob does not register it a second time under its declared name.
 *
 * Without `synchronize`, the library creates it from this description (`createLibraryTable`), as:
 *
 * ```sql
 * CREATE TABLE "plugin_shared_data" (
 *   "tenant_id"  varchar(255) NOT NULL,
 *   "namespace"  varchar(255) NOT NULL,
 *   "key"        varchar(255) NOT NULL,
 *   "value"      text         NOT NULL,
 *   "owner_id"   varchar(255) NOT NULL,
 *   "expires_at" bigint,
 *   "updated_at" bigint       NOT NULL,
 *   PRIMARY KEY ("tenant_id", "namespace", "key")
 * );
 * CREATE INDEX "IDX_plugin_shared_data_expires_at" ON "plugin_shared_data" ("expires_at");
 * ```
 *
 * Times are epoch milliseconds in `bigint`: an integer compares and indexes the same way on
 * both databases, where datetime types differ in time zones and precision.
 */
@Entity(SHARED_DATA_DECLARED_TABLE)
export class SharedDataRow {
  // The primary key is the unique (tenant, namespace, key) index every look-up uses.
  @PrimaryColumn('varchar', { name: 'tenant_id', length: 255 }) tenantId!: string;
  @PrimaryColumn('varchar', { length: 255 }) namespace!: string;
  @PrimaryColumn('varchar', { length: 255 }) key!: string;
  /** JSON text */
  @Column('text') value!: string;
  @Column('varchar', { name: 'owner_id', length: 255 }) ownerId!: string;
  // Indexed for the purge, which deletes across all tenants by expiry alone.
  @Index(`IDX_${SHARED_DATA_TABLE}_expires_at`)
  @Column('bigint', { name: 'expires_at', nullable: true })
  expiresAt!: number | null;
  @Column('bigint', { name: 'updated_at' }) updatedAt!: number;
}
