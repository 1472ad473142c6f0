import type { DataSource, QueryRunner } from 'typeorm';
import type { AppliedMigration } from './migration-plan.js';
import { migrationLedgerStatements } from './migration-ledger.statements.js';
import { withSchemaLock } from '../resources/tables/schema-lock.js';

/** One ledger row. */
export interface LedgerRow extends AppliedMigration {
  readonly plugin: string;
}

/**
 * The `plugin_migrations` table. The host creates it (no `synchronize`), the first time it is
 * read and found missing: a boot whose migrations all ran reads it with one query.
 */
export class MigrationLedger {
  private readonly sql: ReturnType<typeof migrationLedgerStatements>;
  private created = false;

  constructor(readonly dataSource: DataSource) {
    this.sql = migrationLedgerStatements((index) => dataSource.driver.createParameter(`p${index}`, index));
  }

  /** Every plugin's applied migrations, by plugin. */
  async readAll(): Promise<Map<string, LedgerRow[]>> {
    const byPlugin = new Map<string, LedgerRow[]>();
    for (const row of await this.read(this.sql.all, [])) {
      const rows = byPlugin.get(row.plugin) ?? [];
      rows.push(row);
      byPlugin.set(row.plugin, rows);
    }
    return byPlugin;
  }

  /** One plugin's applied migrations, read now (through `runner` when given: under a lock or in a transaction). */
  readPlugin(plugin: string, runner?: QueryRunner): Promise<LedgerRow[]> {
    return this.read(this.sql.ofPlugin, [plugin], runner);
  }

  /** Records a migration inside the transaction that ran it. */
  async record(runner: QueryRunner, row: { plugin: string; name: string; pluginVersion: string; checksum: string }): Promise<void> {
    await runner.query(this.sql.record, [row.plugin, row.name, row.pluginVersion, row.checksum, Date.now()]);
  }

  /** Forgets a migration inside the transaction that ran its `down`. */
  async forget(runner: QueryRunner, plugin: string, name: string): Promise<void> {
    await runner.query(this.sql.forget, [plugin, name]);
  }

  /** Creates the table once, whichever instances boot together. */
  async ensureTable(): Promise<void> {
    if (this.created) return;
    await withSchemaLock(this.dataSource, () => this.dataSource.query(this.sql.schema));
    this.created = true;
  }

  private async read(sql: string, params: unknown[], runner?: QueryRunner): Promise<LedgerRow[]> {
    const query = (): Promise<Record<string, unknown>[]> => (runner ?? this.dataSource).query(sql, params);
    let rows: Record<string, unknown>[];
    if (this.created) rows = await query();
    else {
      // Missing on a fresh database: create it and read again; any other failure shows on the second read.
      rows = await query().catch(async () => {
        await this.ensureTable();
        return query();
      });
      this.created = true;
    }
    return rows.map((row) => ({ plugin: String(row.plugin), name: String(row.name), checksum: String(row.checksum) }));
  }
}
