import { createHash } from 'node:crypto';
import type { MigrationInterface } from 'typeorm';
import { compareMigrationNames } from './migration-order.js';

/** A TypeORM migration class as `@Plugin({ migrations })` lists it. */
export type PluginMigrationClass = new () => MigrationInterface;

/** A migration ready to run: its name, its checksum and an instance. */
export interface PluginMigration {
  readonly name: string;
  readonly checksum: string;
  readonly instance: MigrationInterface;
}

/**
 * The plugin's migrations in the order they run (`compareMigrationNames`). The name is the instance's `name` when it sets one
 * (as TypeORM's generator does), else the class name, as TypeORM itself names them. The
 * checksum is the sha256 of the source of `up` and `down`: the ledger keeps it so that a
 * migration changed after it ran can be told apart.
 */
export function pluginMigrations(classes: readonly PluginMigrationClass[]): PluginMigration[] {
  return classes
    .map((migrationClass) => {
      const instance = new migrationClass();
      const name = instance.name ?? migrationClass.name;
      return { name, checksum: describedChecksums.get(migrationClass) ?? migrationChecksum(instance), instance };
    })
    .sort((a, b) => compareMigrationNames(a.name, b.name));
}

export function migrationChecksum(instance: MigrationInterface): string {
  return createHash('sha256')
    .update(String(instance.up))
    .update('\n')
    .update(String(instance.down))
    .digest('hex');
}

/** Checksums of the stand-ins for migrations whose classes stay in an isolated plugin's guest. */
const describedChecksums = new WeakMap<Function, string>();

/**
 * The host's stand-in for a migration an isolated plugin's guest described (its name and
 * checksum): enough to plan and keep the ledger. Its `up` and `down` are never run: the
 * host runs the guest's own (docs/isolation.md, "Migrations").
 */
export function describedMigrationClass(name: string, checksum: string): PluginMigrationClass {
  const refuse = (): Promise<void> => Promise.reject(new Error(`Migration "${name}" runs in its plugin's guest, not in the host`));
  const standIn = {
    [name]: class {
      readonly name = name;
      up(): Promise<void> {
        return refuse();
      }
      down(): Promise<void> {
        return refuse();
      }
    },
  }[name];
  describedChecksums.set(standIn, checksum);
  return standIn as unknown as PluginMigrationClass;
}
