import type { HostTableSql } from '../../resources/tables/host-table.js';
import type { SharedDataRow } from './shared-data.row.js';
import { sharedDataStatements, type SharedDataColumns, type SharedDataStatements } from './shared-data.statements.js';

/** A live row as `entry` reads it. */
export interface StoredSharedData {
  value: string;
  ownerId: string;
  expiresAt: number | null;
  updatedAt: number;
}

/**
 * The shared data table on the application's DataSource: each method is one statement.
 * Plain SQL rather than a repository: `get` is a hot path, and a repository would build its
 * SQL and hydrate an entity on every call (the SQLite driver also caches prepared statements by text).
 */
export class SharedDataTable {
  private readonly statements: SharedDataStatements;

  constructor(private readonly sql: HostTableSql) {
    const columns = sql.columns<keyof SharedDataColumns>(['tenantId', 'namespace', 'key', 'value', 'ownerId', 'expiresAt', 'updatedAt']);
    this.statements = sharedDataStatements(sql.table, columns, sql.param);
  }

  async value(tenantId: string, namespace: string, key: string, now: number): Promise<string | undefined> {
    const records = await this.records(this.statements.value, [tenantId, namespace, key, now]);
    return records[0]?.value;
  }

  async entry(tenantId: string, namespace: string, key: string, now: number): Promise<StoredSharedData | undefined> {
    const [record] = await this.records(this.statements.entry, [tenantId, namespace, key, now]);
    if (record === undefined) return undefined;
    return { value: record.value, ownerId: record.ownerId, expiresAt: epochMs(record.expiresAt), updatedAt: Number(record.updatedAt) };
  }

  /** false when a live row of another owner is in the way, and nothing was written. */
  async upsert(row: SharedDataRow, now: number): Promise<boolean> {
    const { tenantId, namespace, key, value, ownerId, expiresAt, updatedAt } = row;
    const written = await this.records(this.statements.upsert, [tenantId, namespace, key, value, ownerId, expiresAt, updatedAt, now]);
    return written.length > 0;
  }

  /** The expiry of the owner's row it deleted, or undefined when the owner had none. */
  async deleteOwned(tenantId: string, namespace: string, key: string, ownerId: string): Promise<{ expiresAt: number | null } | undefined> {
    const [deleted] = await this.records(this.statements.deleteOwned, [tenantId, namespace, key, ownerId]);
    return deleted === undefined ? undefined : { expiresAt: epochMs(deleted.expiresAt) };
  }

  async keys(tenantId: string, namespace: string, ownerId: string | undefined, now: number): Promise<string[]> {
    const records =
      ownerId === undefined
        ? await this.records(this.statements.keys, [tenantId, namespace, now])
        : await this.records(this.statements.ownedKeys, [tenantId, namespace, ownerId, now]);
    return records.map((record) => record.key);
  }

  /** How many expired rows it deleted. */
  async purge(now: number): Promise<number> {
    return (await this.sql.run(this.statements.purge, [now])).affected ?? 0;
  }

  private async records(sql: string, parameters: unknown[]): Promise<any[]> {
    return (await this.sql.run(sql, parameters)).records;
  }
}

/** PostgreSQL hands `bigint` back as a string, SQLite as a number. */
function epochMs(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}
