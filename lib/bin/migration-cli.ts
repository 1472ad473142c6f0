import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importDefaultPluginClass } from '../host/import-plugin-module.js';
import { generateMigration } from '../migrations/generate-migration.js';
import type { MigrationDriver } from '../migrations/scratch-database.js';

export const MIGRATION_CLI_USAGE = `Usage: nestjs-plugins-migration <compiled plugin file> [options]

Writes a migration class that creates (or, after the plugin's own migrations, updates) the
plugin's tables from its entities, under their real names (<plugin>_<table>).

  --driver sqlite|postgres  engine to write SQL for; repeat for both (default: sqlite)
  --url <url>               PostgreSQL to diff on (default: $PG_URL); a scratch schema, dropped after
  --name <Name>             class name before the timestamp (default: Create<Plugin> / Update<Plugin>)
  --out <directory>         where to write the file (default: the current directory)
  --js                      write JavaScript (ES module) instead of TypeScript
  --timestamp <ms>          the timestamp in the name (default: now)
  --help`;

const DRIVERS: readonly MigrationDriver[] = ['sqlite', 'postgres'];

/** Where the command writes its messages. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The `nestjs-plugins-migration` command; resolves to its exit code (0 written, 1 failed, 2 bad usage). */
export async function runMigrationCli(argv: readonly string[], output: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        driver: { type: 'string', multiple: true },
        url: { type: 'string' },
        name: { type: 'string' },
        out: { type: 'string' },
        js: { type: 'boolean' },
        timestamp: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    return usage(output, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(MIGRATION_CLI_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usage(output, 'give exactly one compiled plugin file');
  const drivers = [...new Set(values.driver ?? ['sqlite'])];
  const unknown = drivers.find((driver) => !DRIVERS.includes(driver as MigrationDriver));
  if (unknown !== undefined) return usage(output, `--driver must be sqlite or postgres (got "${unknown}")`);
  const postgresUrl = values.url ?? env.PG_URL;
  if (drivers.includes('postgres') && !postgresUrl) return usage(output, '--driver postgres needs --url (or PG_URL): a PostgreSQL server to diff on');
  const timestamp = values.timestamp === undefined ? undefined : Number(values.timestamp);
  if (timestamp !== undefined && !(Number.isSafeInteger(timestamp) && timestamp > 0)) return usage(output, `--timestamp must be a positive integer (got "${values.timestamp}")`);
  if (values.name !== undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(values.name)) return usage(output, `--name must be letters and digits, starting with a letter (got "${values.name}")`);

  try {
    const file = resolve(positionals[0]!);
    const pluginClass = await importDefaultPluginClass(file, positionals[0]!);
    const migration = await generateMigration(pluginClass, {
      drivers: drivers as MigrationDriver[],
      ...(postgresUrl ? { postgresUrl } : {}),
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(timestamp === undefined ? {} : { timestamp }),
      language: values.js ? 'js' : 'ts',
    });
    const directory = resolve(values.out ?? '.');
    await mkdir(directory, { recursive: true });
    const target = join(directory, migration.fileName);
    await writeFile(target, migration.text, { flag: 'wx' });
    output.out(`Wrote ${target}: add ${migration.className} to the plugin's @Plugin({ migrations })`);
    return 0;
  } catch (error) {
    output.err(`nestjs-plugins-migration: ${(error as Error).message}`);
    return 1;
  }
}

function usage(output: CliOutput, problem: string): number {
  output.err(`nestjs-plugins-migration: ${problem}\n\n${MIGRATION_CLI_USAGE}`);
  return 2;
}
