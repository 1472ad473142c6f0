import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledLibrary } from './isolation-harness.js';

/**
 * Plugin files for the isolated-migration suite. Each leaves `globalThis.__migratingModules`
 * where its module runs and `globalThis.__migrationsRan` where a migration's `up` or `down`
 * runs: the host must never hold the second (nor, in process mode, the first).
 */
export interface MigratingPluginOptions {
  readonly name: string;
  readonly isolation: 'thread' | 'process';
  readonly version?: string;
  /** JavaScript declaring migration classes; `T` is the plugin's real table name, `ENGINE` a helper */
  readonly migrations: string;
  /** the class names, in `@Plugin({ migrations })` */
  readonly migrationNames: readonly string[];
  /** `onPluginInit` throws: the version fails to start after its migrations ran */
  readonly initFails?: boolean;
}

/** The plugin's `jars` table under its real name. */
export const jarsTable = (pluginName: string): string => `${pluginName}_jars`;

/** A first migration that creates the table with a seed row (SQL for the engine it is given). */
export const CREATE_JARS = `
export class CreateJars1700000000000 {
  async up(queryRunner) {
    ran('CreateJars1700000000000 up');
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(\`CREATE TABLE "\${T}" ("id" \${postgres ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'}, "body" varchar(200) NOT NULL)\`);
    await queryRunner.query(\`INSERT INTO "\${T}" ("body") VALUES (\${postgres ? '$1' : '?'})\`, ['seed']);
  }
  async down(queryRunner) {
    ran('CreateJars1700000000000 down');
    await queryRunner.query(\`DROP TABLE "\${T}"\`);
  }
}`;

/** v2's migration: a NOT NULL column with a default, which its `down` drops again. */
export const ADD_COLOR = `
export class AddColor1700000001000 {
  async up(queryRunner) {
    ran('AddColor1700000001000 up');
    await queryRunner.query(\`ALTER TABLE "\${T}" ADD COLUMN "color" varchar(20) NOT NULL DEFAULT 'red'\`);
  }
  async down(queryRunner) {
    ran('AddColor1700000001000 down');
    await queryRunner.query(\`ALTER TABLE "\${T}" DROP COLUMN "color"\`);
  }
}`;

/** A v3 migration that works (the `tag` column); its version then fails in `onPluginInit`, or its `up` throws after the column. */
export const addTag = (throws: boolean) => `
export class AddTag1700000002000 {
  async up(queryRunner) {
    await queryRunner.query(\`ALTER TABLE "\${T}" ADD COLUMN "tag" varchar(20)\`);
    ${throws ? "throw new Error('tag failed');" : ''}
  }
  async down(queryRunner) {
    ran('AddTag1700000002000 down');
    await queryRunner.query(\`ALTER TABLE "\${T}" DROP COLUMN "tag"\`);
  }
}`;

export function migratingPluginSource({ name, isolation, version = '1.0.0', migrations, migrationNames, initFails = false }: MigratingPluginOptions): string {
  const library = pathToFileURL(compiledLibrary()).href;
  return `import { threadId } from 'node:worker_threads';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Expose, Plugin } from ${JSON.stringify(library)};

globalThis.__migratingModules = [...(globalThis.__migratingModules ?? []), ${JSON.stringify(name)}];
const T = ${JSON.stringify(jarsTable(name))};
function ran(what) {
  globalThis.__migrationsRan = [...(globalThis.__migrationsRan ?? []), ${JSON.stringify(name)} + ' ' + what];
}
export class Jar {}
Entity('jars')(Jar);
PrimaryGeneratedColumn()(Jar.prototype, 'id');
Column({ type: 'varchar', length: 200 })(Jar.prototype, 'body');
${migrations}
class JarPlugin {
  onPluginInit(ctx) {
    this.ctx = ctx;
    ${initFails ? "throw new Error('init failed on purpose');" : ''}
  }
  whereAmI() {
    return { pid: process.pid, threadId };
  }
  async add(body) {
    const jars = this.ctx.database.getRepository(Jar);
    return (await jars.save(jars.create({ body }))).id;
  }
  async bodies() {
    const rows = await this.ctx.database.executeQuery('SELECT body FROM jars ORDER BY id');
    return rows.map((row) => row.body);
  }
}
for (const method of ['whereAmI', 'add', 'bodies']) {
  Expose()(JarPlugin.prototype, method, Object.getOwnPropertyDescriptor(JarPlugin.prototype, method));
}
Plugin({
  name: ${JSON.stringify(name)},
  version: ${JSON.stringify(version)},
  isolation: '${isolation}',
  entities: [Jar],
  allowedTables: ['jars'],
  migrations: [${migrationNames.join(', ')}],
  resourceLimits: { callTimeoutMs: 20000 },
})(JarPlugin);
export default JarPlugin;
`;
}

export async function writeMigratingPlugin(file: string, options: MigratingPluginOptions): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, migratingPluginSource(options));
  return file;
}

/** Where the host ran plugin code: module names and migration steps seen in this process. */
export function ranInHost(): { modules: string[]; migrations: string[] } {
  const scope = globalThis as { __migratingModules?: string[]; __migrationsRan?: string[] };
  return { modules: scope.__migratingModules ?? [], migrations: scope.__migrationsRan ?? [] };
}
