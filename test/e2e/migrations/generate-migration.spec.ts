import 'reflect-metadata';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { MigrationInterface } from 'typeorm';
import { expectMigrationsRoundTrip } from 'nestjs-plugins/testing';
import { getPluginMetadata } from '../../../lib/metadata/plugin-metadata.accessor.js';
import { runMigrationCli } from '../../../lib/bin/migration-cli.js';
import { registerPluginEntities, runMigration } from '../../../lib/migrations/migration-tooling.js';
import { readSchemaCatalogue, type SchemaCatalogue } from '../../../lib/migrations/schema-catalogue.js';
import { openScratchDatabase, type MigrationDriver } from '../../../lib/migrations/scratch-database.js';
import { PluginFiles } from '../runtime/plugin-files.js';
import { POSTGRES_SKIPPED, PG_URL } from '../../support/test-databases.js';

if (!PG_URL) it(POSTGRES_SKIPPED, () => undefined);
const drivers: MigrationDriver[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const driverArguments = drivers.flatMap((driver) => ['--driver', driver]);

/** A compiled plugin file as a build emits it: entities and @Plugin applied as calls. `stars` only in version 2. */
function pluginSource(version: 1 | 2, migrationsImport = ''): string {
  return `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Plugin } from 'nestjs-plugins';
${migrationsImport}
export class Note {}
PrimaryGeneratedColumn()(Note.prototype, 'id');
Index('IDX_gen_note_text')(Note.prototype, 'text');
Column('varchar', { length: 200 })(Note.prototype, 'text');
Column('boolean', { default: false })(Note.prototype, 'done');
${version === 2 ? "Column('integer', { default: 0 })(Note.prototype, 'stars');" : ''}
Entity('note')(Note);
export class Tag {}
PrimaryGeneratedColumn()(Tag.prototype, 'id');
Column('varchar', { nullable: true })(Tag.prototype, 'label');
ManyToOne(() => Note, { onDelete: 'CASCADE' })(Tag.prototype, 'note');
Entity('tag')(Tag);
class GenPlugin {}
Plugin({ name: 'gen', version: '${version}.0.0', entities: [Note, Tag], allowedTables: ['note', 'tag'], migrations: ${migrationsImport ? '[First]' : '[]'} })(GenPlugin);
export default GenPlugin;
`;
}

describe('nestjs-plugins-migration', () => {
  let files: PluginFiles;
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const io = { out: (line: string) => void lines.out.push(line), err: (line: string) => void lines.err.push(line) };

  beforeAll(async () => (files = await PluginFiles.create()));
  afterAll(() => files.remove());
  beforeEach(() => {
    lines.out = [];
    lines.err = [];
  });

  /** The schema a scratch database has after `change`. */
  async function schemaAfter(driver: MigrationDriver, change: (dataSource: Awaited<ReturnType<typeof openScratchDatabase>>['dataSource']) => Promise<unknown>): Promise<SchemaCatalogue> {
    const scratch = await openScratchDatabase(driver, PG_URL);
    try {
      await change(scratch.dataSource);
      const runner = scratch.dataSource.createQueryRunner();
      try {
        return await readSchemaCatalogue(runner);
      } finally {
        await runner.release();
      }
    } finally {
      await scratch.dispose();
    }
  }

  const synchronized = (pluginClass: Function) => (driver: MigrationDriver) =>
    schemaAfter(driver, async (dataSource) => {
      await registerPluginEntities(dataSource, getPluginMetadata(pluginClass)!);
      await dataSource.synchronize();
    });

  it('writes a JavaScript migration whose up gives the schema synchronize gives, on each engine, and whose down empties it', async () => {
    const pluginFile = await files.writeRaw('gen-v1.plugin.js', pluginSource(1));
    const out = join(files.directory, 'migrations');
    const code = await runMigrationCli([pluginFile, ...driverArguments, '--out', out, '--js', '--timestamp', '1700000000000'], io);
    expect(lines.err).toEqual([]);
    expect(code).toBe(0);
    expect(await readdir(out)).toEqual(['1700000000000-CreateGen.js']);
    expect(lines.out).toEqual([`Wrote ${join(out, '1700000000000-CreateGen.js')}: add CreateGen1700000000000 to the plugin's @Plugin({ migrations })`]);
    const text = await readFile(join(out, '1700000000000-CreateGen.js'), 'utf8');
    expect(text).toContain('CREATE TABLE \\"gen_note\\"');
    expect(text).toContain('CREATE TABLE \\"gen_tag\\"');
    expect(text).not.toContain('np_scratch');

    const { CreateGen1700000000000 } = (await import(pathToFileURL(join(out, '1700000000000-CreateGen.js')).href)) as { CreateGen1700000000000: new () => MigrationInterface };
    const pluginClass = ((await import(pathToFileURL(pluginFile).href)) as { default: Function }).default;
    const migration = { name: 'CreateGen1700000000000', migration: new CreateGen1700000000000() };
    for (const driver of drivers) {
      const migrated = await schemaAfter(driver, (dataSource) => runMigration(dataSource, migration, 'up'));
      expect(migrated).toEqual(await synchronized(pluginClass)(driver));
      expect([...migrated.keys()].some((key) => key.startsWith('foreign key "gen_tag".'))).toBe(true);
      const reverted = await schemaAfter(driver, async (dataSource) => {
        await runMigration(dataSource, migration, 'up');
        await runMigration(dataSource, migration, 'down');
      });
      expect(reverted).toEqual(new Map());
    }
  });

  it('writes TypeScript that compiles, and a second migration with only the change, which round-trips with the first', async () => {
    const out = join(files.directory, 'ts-migrations');
    const firstFile = await files.writeRaw('gen-first.plugin.js', pluginSource(1));
    expect(await runMigrationCli([firstFile, ...driverArguments, '--out', out, '--timestamp', '1700000000000'], io)).toBe(0);
    const source = await readFile(join(out, '1700000000000-CreateGen.ts'), 'utf8');
    expect(source).toMatch(/^import type \{ MigrationInterface, QueryRunner \} from 'typeorm';/);
    const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
    expect(compiled.diagnostics).toEqual([]);
    await files.writeRaw('first-migration.js', compiled.outputText);

    // Version 2 ships the first migration and adds a column: the next migration is only that column.
    const secondFile = await files.writeRaw('gen-v2.plugin.js', pluginSource(2, "import { CreateGen1700000000000 as First } from './first-migration.js';"));
    expect(await runMigrationCli([secondFile, ...driverArguments, '--out', out, '--js', '--timestamp', '1700000001000'], io)).toBe(0);
    const second = await readFile(join(out, '1700000001000-UpdateGen.js'), 'utf8');
    expect(second).toContain('stars');
    expect(second).not.toContain('CREATE TABLE "gen_tag"');
    await files.writeRaw('second-migration.js', second);

    const bothFile = await files.writeRaw(
      'gen-both.plugin.js',
      pluginSource(2, "import { CreateGen1700000000000 as First } from './first-migration.js';\nimport { UpdateGen1700000001000 as Second } from './second-migration.js';").replace(
        'migrations: [First]',
        'migrations: [First, Second]',
      ),
    );
    const pluginClass = ((await import(pathToFileURL(bothFile).href)) as { default: Function }).default;
    await expect(expectMigrationsRoundTrip(pluginClass, { postgresUrl: PG_URL ?? false })).resolves.toBeUndefined();
  });

  it('refuses bad usage with the reason and the usage, and says when there is nothing to generate', async () => {
    const pluginFile = files.path('gen-v1');
    expect(await runMigrationCli([join(files.directory, 'gen-v1.plugin.js'), '--driver', 'postgres'], io, {})).toBe(2);
    expect(lines.err[0]).toMatch(/^nestjs-plugins-migration: --driver postgres needs --url \(or PG_URL\): a PostgreSQL server to diff on\n\nUsage: /);
    expect(await runMigrationCli([pluginFile, '--driver', 'mysql'], io)).toBe(2);
    expect(lines.err[1]).toMatch(/^nestjs-plugins-migration: --driver must be sqlite or postgres \(got "mysql"\)/);
    expect(await runMigrationCli([], io)).toBe(2);

    const complete = await files.writeRaw(
      'gen-complete.plugin.js',
      pluginSource(2, "import { CreateGen1700000000000 as First } from './first-migration.js';\nimport { UpdateGen1700000001000 as Second } from './second-migration.js';").replace(
        'migrations: [First]',
        'migrations: [First, Second]',
      ),
    );
    expect(await runMigrationCli([complete, '--out', join(files.directory, 'none')], io)).toBe(1);
    expect(lines.err.at(-1)).toBe('nestjs-plugins-migration: Plugin "gen" needs no new migration: its migrations already give what its entities need');
  });
});
