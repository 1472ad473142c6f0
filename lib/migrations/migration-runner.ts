import type { QueryRunner } from 'typeorm';
import { PluginMigrationError } from '../errors/migration.errors.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import type { MigrationLedger } from './migration-ledger.js';
import type { PluginMigration } from './plugin-migration.js';

/** Who the migration belongs to, as the ledger records it. */
export interface MigratingPlugin {
  readonly name: string;
  readonly version: string;
  readonly scope: ResourceScope;
}

/** Runs one migration's `up` and records it, in one transaction; on failure neither stays. */
export function runUp(ledger: MigrationLedger, plugin: MigratingPlugin, migration: PluginMigration): Promise<void> {
  return inTransaction(ledger, plugin, migration, 'up', async (runner, scoped) => {
    await migration.instance.up(scoped);
    await ledger.record(runner, { plugin: plugin.name, name: migration.name, pluginVersion: plugin.version, checksum: migration.checksum });
  });
}

/** Runs one migration's `down` and forgets it, in one transaction; on failure neither stays. */
export function runDown(ledger: MigrationLedger, plugin: MigratingPlugin, migration: PluginMigration): Promise<void> {
  return inTransaction(ledger, plugin, migration, 'down', async (runner, scoped) => {
    await migration.instance.down(scoped);
    await ledger.forget(runner, plugin.name, migration.name);
  });
}

async function inTransaction(
  ledger: MigrationLedger,
  plugin: MigratingPlugin,
  migration: PluginMigration,
  direction: 'up' | 'down',
  work: (runner: QueryRunner, scoped: QueryRunner) => Promise<void>,
): Promise<void> {
  const runner = ledger.dataSource.createQueryRunner();
  try {
    await runner.connect();
    // Framed as TypeORM frames a migration: SQLite checks no foreign keys while a table is rebuilt (set outside the transaction, where the pragma works).
    await runner.beforeMigration();
    await runner.startTransaction();
    try {
      // Loaded with the first migration, not when the library is imported: it brings the SQL guard and `typeorm`, an optional peer.
      const { scopeMigrationQueryRunner } = await import('./scoped-migration-query-runner.js');
      await work(runner, await scopeMigrationQueryRunner(runner, plugin.scope));
      await runner.commitTransaction();
    } catch (error) {
      // The migration's error is the one to report; a rollback that fails too (a broken connection) adds nothing.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw new PluginMigrationError(plugin.name, migration.name, direction, error);
    }
  } finally {
    await runner.afterMigration();
    await runner.release();
  }
}
