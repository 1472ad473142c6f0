import type { DataSource, EntityMetadata, MigrationInterface } from 'typeorm';
import { getPluginMetadata } from '../metadata/plugin-metadata.accessor.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { ResourceOverridesStore } from '../resources/resource-overrides.store.js';
import { ResourcePolicy } from '../resources/resource-policy.js';
import { ResourceScope } from '../resources/resource-scope.js';
import { PluginEntityTables } from '../resources/tables/plugin-entity-tables.js';
import { pluginMigrations } from './plugin-migration.js';

/**
 * What the author's tools (the round-trip check, the generator) need of a plugin's migrations,
 * on a scratch database of their own: no ledger, no lock, no scoping.
 */

/** A migration class of a plugin's, instantiated, with the name it is recorded under. */
export interface NamedMigration {
  readonly name: string;
  readonly migration: MigrationInterface;
}

/** The plugin's metadata; throws when the class is not a `@Plugin`. */
export function pluginMetadataOf(pluginClass: Function): Readonly<PluginMetadata> {
  const metadata = getPluginMetadata(pluginClass);
  if (metadata === undefined) throw new TypeError(`${pluginClass.name || 'The class'} is not decorated with @Plugin()`);
  return metadata;
}

/** `@Plugin({ migrations })`, instantiated, in the order the host runs them. */
export function pluginMigrationsOf(metadata: Readonly<PluginMetadata>): NamedMigration[] {
  return pluginMigrations(metadata.migrations ?? []).map(({ name, instance }) => ({ name, migration: instance }));
}

/**
 * Runs one direction of a migration in a transaction of its own, framed as TypeORM's migration
 * executor frames one (`beforeMigration`/`afterMigration`: SQLite checks no foreign keys meanwhile,
 * as its table rebuilds drop and recreate referenced tables). With `scope`, the migration gets
 * the runner the host gives it (`scopeMigrationQueryRunner`), so what the host would refuse fails here.
 */
export async function runMigration(dataSource: DataSource, { migration }: NamedMigration, direction: 'up' | 'down', scope?: ResourceScope): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.beforeMigration();
    await runner.startTransaction();
    await migration[direction](scope === undefined ? runner : await (await import('./scoped-migration-query-runner.js')).scopeMigrationQueryRunner(runner, scope));
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.afterMigration();
    await runner.release();
  }
}

/** The scope the host would run the plugin's migrations in, without host overrides. */
export function pluginScopeOf(metadata: Readonly<PluginMetadata>): ResourceScope {
  return new ResourceScope(metadata, new ResourceOverridesStore());
}

/**
 * Adds the plugin's entities to the DataSource under their real names (`<plugin>_<table>`, as at
 * registration without host overrides), without creating anything: its schema builder then
 * tells what the entities need that the database lacks.
 */
export function registerPluginEntities(dataSource: DataSource, metadata: Readonly<PluginMetadata>): Promise<EntityMetadata[]> {
  return new PluginEntityTables(dataSource).register(metadata.entities ?? [], new ResourcePolicy(metadata.name, metadata));
}
