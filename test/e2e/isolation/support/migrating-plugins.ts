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

export function migratingPluginSource({ name, isolation, version = '1.0.0', migrations, migrationNames }: MigratingPluginOptions): string {
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
