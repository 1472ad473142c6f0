import type { DataSource } from 'typeorm';
import { pluginMetadataOf, pluginMigrationsOf, pluginScopeOf, registerPluginEntities, runMigration, type NamedMigration } from '../migrations/migration-tooling.js';
import type { ResourceScope } from '../resources/resource-scope.js';
import { catalogueDifferences, readSchemaCatalogue, type SchemaCatalogue } from '../migrations/schema-catalogue.js';
import { openScratchDatabase, type MigrationDriver } from '../migrations/scratch-database.js';
import { MigrationsRoundTripError } from './migrations-round-trip.error.js';

export interface MigrationsRoundTripOptions {
  /** PostgreSQL to run on as well; default `process.env.PG_URL`, `false` for SQLite alone. The run gets a schema of its own, dropped after. */
  postgresUrl?: string | false;
  /** Also require that, after every `up`, the plugin's entities need nothing more (what `synchronize` would add); default true. */
  matchEntities?: boolean;
}

/**
 * Runs the plugin's migrations (`@Plugin({ migrations })`, in the host's order, each in a
 * transaction) up, down (newest first) and up again on an empty SQLite database in memory, and
 * on PostgreSQL when `PG_URL` (or `postgresUrl`) is set. On SQLite they run as the host runs
 * them, held to the plugin's own tables, indexes and sequences. After each `down` the schema (tables, columns with
 * type, nullability and default, indexes, constraints; PostgreSQL sequences and enum types) must
 * be what it was before that migration's `up`; after each second `up`, what the first gave.
 * Rejects with `MigrationsRoundTripError` listing every difference of the first step that fails.
 */
export async function expectMigrationsRoundTrip(pluginClass: Function, options: MigrationsRoundTripOptions = {}): Promise<void> {
  const metadata = pluginMetadataOf(pluginClass);
  const migrations = pluginMigrationsOf(metadata);
  const postgresUrl = options.postgresUrl ?? process.env.PG_URL;
  const drivers: [MigrationDriver, string | undefined][] = [['sqlite', undefined], ...(postgresUrl ? [['postgres', postgresUrl] as [MigrationDriver, string]] : [])];
  for (const [driver, url] of drivers) {
    const fail = (problems: string[]) => new MigrationsRoundTripError(metadata.name, driver, problems);
    if (migrations.length === 0) throw fail(['it declares no migrations (@Plugin({ migrations }))']);
    const scratch = await openScratchDatabase(driver, url);
    try {
      // On SQLite each migration gets the runner the host gives it: a statement the host would refuse fails the round trip.
      const problems = await roundTrip(scratch.dataSource, migrations, driver === 'sqlite' ? pluginScopeOf(metadata) : undefined);
      if (problems !== undefined) throw fail(problems);
      if (options.matchEntities !== false) {
        const missing = await entityQueries(scratch.dataSource, metadata);
        if (missing.length > 0) throw fail(["after every up, the plugin's entities still need (what synchronize would run):", ...missing]);
      }
    } finally {
      await scratch.dispose();
    }
  }
}

/** The problems of the first step that fails, or undefined when every step agrees. */
async function roundTrip(dataSource: DataSource, migrations: readonly NamedMigration[], scope: ResourceScope | undefined): Promise<string[] | undefined> {
  const catalogues: SchemaCatalogue[] = [await catalogue(dataSource)];
  const step = async (migration: NamedMigration, direction: 'up' | 'down', when: string): Promise<string[] | undefined> => {
    try {
      await runMigration(dataSource, migration, direction, scope);
    } catch (error) {
      return [`${direction} of ${migration.name} failed ${when}: ${(error as Error).message}`];
    }
    return undefined;
  };
  for (const migration of migrations) {
    const failed = await step(migration, 'up', 'on the empty schema before it');
    if (failed !== undefined) return failed;
    catalogues.push(await catalogue(dataSource));
  }
  for (let index = migrations.length - 1; index >= 0; index--) {
    const migration = migrations[index]!;
    const failed = await step(migration, 'down', 'after every up');
    if (failed !== undefined) return failed;
    const differences = catalogueDifferences(catalogues[index]!, await catalogue(dataSource));
    if (differences.length > 0) return [`down of ${migration.name} does not restore the schema before its up:`, ...differences];
  }
  for (const [index, migration] of migrations.entries()) {
    const failed = await step(migration, 'up', 'again after its down');
    if (failed !== undefined) return failed;
    const differences = catalogueDifferences(catalogues[index + 1]!, await catalogue(dataSource));
    if (differences.length > 0) return [`up of ${migration.name} after its down gives another schema than the first time:`, ...differences];
  }
  return undefined;
}

async function catalogue(dataSource: DataSource): Promise<SchemaCatalogue> {
  const runner = dataSource.createQueryRunner();
  try {
    return await readSchemaCatalogue(runner);
  } finally {
    await runner.release();
  }
}

/** What TypeORM's schema builder would still run for the plugin's entities, under their real names. */
async function entityQueries(dataSource: DataSource, metadata: Parameters<typeof registerPluginEntities>[1]): Promise<string[]> {
  if ((metadata.entities ?? []).length === 0) return [];
  await registerPluginEntities(dataSource, metadata);
  const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
  return upQueries.map((query) => query.query);
}
