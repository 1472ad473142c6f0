import type { DataSource } from 'typeorm';
import { PluginSchemaMissingError } from '../errors/migration.errors.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import { MigrationLedger, type LedgerRow } from './migration-ledger.js';
import { withMigrationLock } from './migration-lock.js';
import { planMigrations, planRevert } from './migration-plan.js';
import { runDown, runUp, type MigratingPlugin } from './migration-runner.js';
import { compareMigrationNames } from './migration-order.js';
import { pluginMigrations, type PluginMigration } from './plugin-migration.js';

/** The plugin as the migrations need it: its metadata and its resource scope. */
export interface MigrationSubject {
  readonly metadata: Readonly<PluginMetadata>;
  readonly scope: ResourceScope;
}

/**
 * Refuses, at registration, a plugin whose tables nothing would create: entities on a
 * DataSource that does not synchronize, and no migrations.
 */
export function assertPluginSchemaSource(metadata: Readonly<PluginMetadata>, dataSource: DataSource | undefined): void {
  if (dataSource === undefined || dataSource.options.synchronize === true) return;
  if ((metadata.entities ?? []).length > 0 && (metadata.migrations ?? []).length === 0) throw new PluginSchemaMissingError(metadata.name);
}

/**
 * A plugin's migrations, ready to run, in order. By default its classes, run here; an isolated
 * plugin's are stand-ins whose `up` and `down` run in its guest (the host keeps the
 * transaction, the scoped runner, the ledger and the lock).
 */
export type DeclaredMigrations = (metadata: Readonly<PluginMetadata>) => PluginMigration[];

const classesRunHere: DeclaredMigrations = (metadata) => pluginMigrations(metadata.migrations ?? []);

/**
 * Runs plugins' migrations against the application's DataSource and keeps the ledger.
 * Boot reads the whole ledger once and decides for every plugin from that read; a plugin
 * with something pending then takes the cluster lock, reads its rows again (another instance
 * may have run them meanwhile) and runs what is still pending, each in its own transaction.
 */
/** A plugin's schema as `PluginMigrations.statusOf` tells it. */
export interface PluginSchemaStatus {
  /** applied migrations, oldest first: the last one is the schema's version */
  readonly applied: readonly string[];
  /** declared by the running version, not applied */
  readonly pending: readonly string[];
}

export class PluginMigrations {
  private readonly ledger: MigrationLedger;
  /** the ledger as read once at boot, kept current with what runs here */
  private snapshot: Promise<Map<string, LedgerRow[]>> | undefined;
  /** per plugin, the migrations this instance ran since `forgetRan`: what a failed upgrade undoes (never another instance's) */
  private readonly ran = new Map<string, string[]>();
  /** per plugin, its applied migrations as this instance last read or wrote them: what the console shows */
  private readonly lastRead = new Map<string, readonly string[]>();

  constructor(
    dataSource: DataSource,
    private readonly warn: (message: string) => void,
    private readonly declared: DeclaredMigrations = classesRunHere,
  ) {
    this.ledger = new MigrationLedger(dataSource);
  }

  /** Whether the plugin takes part at all: plugins without entities and migrations cost no query. */
  concerns(metadata: Readonly<PluginMetadata>): boolean {
    return (metadata.migrations ?? []).length > 0 || (metadata.entities ?? []).length > 0;
  }

  /**
   * Runs the plugin's pending migrations before it starts; returns the names it ran. Throws
   * `PluginSchemaAheadError` (nothing run) or `PluginMigrationError` (the failing one rolled
   * back, the ones before it applied). `atBoot`: decide from the boot-wide read of the ledger.
   */
  async migrate({ metadata, scope }: MigrationSubject, atBoot: boolean): Promise<string[]> {
    const declared = this.declared(metadata);
    const applied = atBoot ? ((await this.bootLedger()).get(metadata.name) ?? []) : await this.readPlugin(metadata.name);
    this.remember(metadata.name, applied);
    const { pending, changed } = planMigrations(metadata, declared, applied);
    if (changed.length > 0) {
      this.warn(`Plugin "${metadata.name}" ${metadata.version}: the migrations ${changed.join(', ')} changed since they ran; they do not run again`);
    }
    if (pending.length === 0) return [];
    const plugin: MigratingPlugin = { name: metadata.name, version: metadata.version, scope };
    return withMigrationLock(this.ledger.dataSource, async () => {
      const ran: string[] = [];
      try {
        const current = await this.readPlugin(metadata.name);
        for (const migration of planMigrations(metadata, declared, current).pending) {
          await runUp(this.ledger, plugin, migration);
          ran.push(migration.name);
          this.ran.get(metadata.name)?.push(migration.name);
        }
      } finally {
        await this.refresh(metadata.name);
      }
      return ran;
    });
  }

  /**
   * Undoes, newest first, migrations of `subject` named in `names` (those an upgrade ran
   * before it failed), with the `down` of the version that ran them.
   */
  async undo({ metadata, scope }: MigrationSubject, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const declared = this.declared(metadata);
    const plugin: MigratingPlugin = { name: metadata.name, version: metadata.version, scope };
    await withMigrationLock(this.ledger.dataSource, async () => {
      try {
        for (const migration of declared.filter((candidate) => names.includes(candidate.name)).reverse()) await runDown(this.ledger, plugin, migration);
      } finally {
        await this.refresh(metadata.name);
      }
    });
  }

  /** `PluginManager.revert`: runs `down`, newest first, of every applied migration after `to`; returns their names. */
  async revert({ metadata, scope }: MigrationSubject, to: string): Promise<string[]> {
    const declared = this.declared(metadata);
    const plugin: MigratingPlugin = { name: metadata.name, version: metadata.version, scope };
    return withMigrationLock(this.ledger.dataSource, async () => {
      const reverted: string[] = [];
      try {
        for (const migration of planRevert(metadata.name, declared, await this.readPlugin(metadata.name), to)) {
          await runDown(this.ledger, plugin, migration);
          reverted.push(migration.name);
        }
      } finally {
        await this.refresh(metadata.name);
      }
      return reverted;
    });
  }

  /** Starts a record of the migrations this instance runs for the plugin (see `ranSinceForget`). */
  forgetRan(pluginName: string): void {
    this.ran.set(pluginName, []);
  }

  /** The migrations this instance ran for the plugin since `forgetRan`, in the order they ran. */
  ranSinceForget(pluginName: string): readonly string[] {
    return this.ran.get(pluginName) ?? [];
  }

  /** What `revert` would undo, newest first, running nothing; throws `PluginRevertError` when it cannot. */
  async planRevertOf({ metadata }: MigrationSubject, to: string): Promise<string[]> {
    return planRevert(metadata.name, this.declared(metadata), await this.readPlugin(metadata.name), to).map((migration) => migration.name);
  }

  /** Checks that a version could start on the schema as it is (throws `PluginSchemaAheadError`), running nothing. */
  async assertNotAhead(metadata: Readonly<PluginMetadata>): Promise<void> {
    planMigrations(metadata, this.declared(metadata), await this.readPlugin(metadata.name));
  }

  /**
   * The plugin's schema as this instance last saw it, running no query: its applied migrations
   * (oldest first) and the declared ones not applied yet. Undefined for a plugin that takes no
   * part (`concerns`) or whose ledger was not read yet.
   */
  statusOf(metadata: Readonly<PluginMetadata>): PluginSchemaStatus | undefined {
    const applied = this.lastRead.get(metadata.name);
    if (applied === undefined || !this.concerns(metadata)) return undefined;
    const pending = this.declared(metadata).filter((migration) => !applied.includes(migration.name));
    return { applied, pending: pending.map((migration) => migration.name) };
  }

  private async readPlugin(pluginName: string): Promise<LedgerRow[]> {
    const rows = await this.ledger.readPlugin(pluginName);
    this.remember(pluginName, rows);
    return rows;
  }

  private remember(pluginName: string, rows: readonly LedgerRow[]): void {
    this.lastRead.set(pluginName, [...rows].sort((a, b) => compareMigrationNames(a.name, b.name)).map((row) => row.name));
  }

  private bootLedger(): Promise<Map<string, LedgerRow[]>> {
    this.snapshot ??= this.ledger.readAll();
    return this.snapshot;
  }

  /** Keeps the boot-wide read true to what this instance changed. */
  private async refresh(pluginName: string): Promise<void> {
    const rows = await this.readPlugin(pluginName);
    if (this.snapshot === undefined) return;
    const snapshot = await this.snapshot;
    snapshot.set(pluginName, rows);
  }
}
