import type { PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { migrationFileText, pascalCase, type DriverStatements, type MigrationStatement } from './migration-file.js';
import { pluginMetadataOf, pluginMigrationsOf, registerPluginEntities, runMigration } from './migration-tooling.js';
import { withoutRenameAway } from './sqlite-table-rebuild.js';
import { openScratchDatabase, type MigrationDriver } from './scratch-database.js';

export interface GenerateMigrationOptions {
  /** engines to write SQL for (one block each); PostgreSQL needs `postgresUrl` */
  readonly drivers: readonly MigrationDriver[];
  /** a server the diff runs on, in a schema of its own that is dropped after */
  readonly postgresUrl?: string;
  /** the class name before its timestamp; default `Create<Plugin>` for a first migration, `Update<Plugin>` after others */
  readonly name?: string;
  /** default: now, in ms (TypeORM's convention) */
  readonly timestamp?: number;
  readonly language?: 'ts' | 'js';
}

export interface GeneratedMigration {
  readonly className: string;
  /** `<timestamp>-<name>.ts` (or `.js`) */
  readonly fileName: string;
  readonly text: string;
  readonly statements: readonly DriverStatements[];
}

/**
 * The migration that brings a database holding the plugin's current migrations (none: an empty
 * one) to what its entities need, under their real names (`<plugin>_<table>`): for each engine, a
 * scratch database where the plugin's migrations run first, its entities are registered as at
 * registration, and TypeORM's schema builder says what it would run (`up`) and how to undo it (`down`).
 * Throws when the entities need nothing more, naming the plugin.
 */
export async function generateMigration(pluginClass: PluginClass, options: GenerateMigrationOptions): Promise<GeneratedMigration> {
  const metadata = pluginMetadataOf(pluginClass);
  if ((metadata.entities ?? []).length === 0) throw new Error(`Plugin "${metadata.name}" has no entities to generate a migration from`);
  const migrations = pluginMigrationsOf(metadata);
  const statements: DriverStatements[] = [];
  for (const driver of options.drivers) {
    const scratch = await openScratchDatabase(driver, driver === 'postgres' ? options.postgresUrl : undefined);
    try {
      for (const migration of migrations) await runMigration(scratch.dataSource, migration, 'up');
      await registerPluginEntities(scratch.dataSource, metadata);
      const { upQueries, downQueries } = await scratch.dataSource.driver.createSchemaBuilder().log();
      // The schema builder lists the undo of each change in the order it made them: a migration's down runs them newest first.
      const statementOf = statementIn(scratch.schema);
      const down = downQueries.map(statementOf).reverse();
      statements.push({ driver, up: upQueries.map(statementOf), down: driver === 'sqlite' ? withoutRenameAway(down) : down });
    } finally {
      await scratch.dispose();
    }
  }
  if (statements.every((forDriver) => forDriver.up.length === 0)) {
    throw new Error(`Plugin "${metadata.name}" needs no new migration: its ${migrations.length === 0 ? 'entities need no tables' : 'migrations already give what its entities need'}`);
  }
  const timestamp = options.timestamp ?? Date.now();
  const name = options.name ?? `${migrations.length === 0 ? 'Create' : 'Update'}${pascalCase(metadata.name)}`;
  const className = `${pascalCase(name)}${timestamp}`;
  const language = options.language ?? 'ts';
  const text = migrationFileText({ className, pluginName: metadata.name, language, statements });
  return { className, fileName: `${timestamp}-${pascalCase(name)}.${language}`, text, statements };
}

/** A statement as the migration writes it: unqualified, as the scratch schema is nobody's (its random name occurs nowhere else). */
function statementIn(schema: string | undefined) {
  return ({ query, parameters }: { query: string; parameters?: unknown[] }): MigrationStatement => {
    const unqualified = schema === undefined ? query : query.split(`"${schema}".`).join('');
    return parameters !== undefined && parameters.length > 0 ? { query: unqualified, parameters } : { query: unqualified };
  };
}
