import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledLibrary } from '../../../isolation/support/isolation-harness.js';

/**
 * Plugin files whose module-level code leaves two traces when it runs: a line `<name> <pid>` in
 * a canary file, and the name in `globalThis.__describeCanary` of the process that ran it. The
 * canary write may fail in a sandboxed guest; what matters is that the host's pid never appears.
 */
export interface CanaryPluginOptions {
  readonly name: string;
  /** the text of `@Plugin({ isolation })` as written, e.g. `'process'` or `['pro', 'cess'].join('')` */
  readonly isolation?: string;
  /** extra module-level statements, before the class */
  readonly prelude?: string;
  /** extra entity declarations (JavaScript applying TypeORM decorators to `Jot` and new classes) */
  readonly entityExtras?: string;
  /** the classes of `@Plugin({ entities })`, as written */
  readonly entities?: string;
  readonly allowedTables?: readonly string[];
}

export function canaryPluginSource(canaryFile: string, { name, isolation = `'process'`, prelude = '', entityExtras = '', entities = 'Jot', allowedTables = ['jots'] }: CanaryPluginOptions): string {
  const library = pathToFileURL(compiledLibrary()).href;
  return `import { appendFileSync } from 'node:fs';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, JoinTable, ManyToMany, ManyToOne, OneToMany, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { IsInt, IsString, Min } from 'class-validator';
import { Expose, Plugin } from ${JSON.stringify(library)};

globalThis.__describeCanary = [...(globalThis.__describeCanary ?? []), ${JSON.stringify(name)}];
try {
  appendFileSync(${JSON.stringify(canaryFile)}, ${JSON.stringify(name)} + ' ' + process.pid + '\\n');
} catch {}
${prelude}
export class Jot {}
Entity('jots')(Jot);
Index(['body', 'rank'])(Jot);
PrimaryGeneratedColumn()(Jot.prototype, 'id');
Column({ type: 'varchar', length: 200 })(Jot.prototype, 'body');
Column({ type: 'integer', default: 0 })(Jot.prototype, 'rank');
Column({ type: 'varchar', nullable: true, unique: true })(Jot.prototype, 'slug');
CreateDateColumn()(Jot.prototype, 'createdAt');
VersionColumn()(Jot.prototype, 'version');
${entityExtras}
export class CanaryConfig {
  greeting = 'hello';
  times = 1;
}
IsString()(CanaryConfig.prototype, 'greeting');
IsInt()(CanaryConfig.prototype, 'times');
Min(1)(CanaryConfig.prototype, 'times');

class CanaryPlugin {
  onPluginInit(ctx) {
    this.ctx = ctx;
  }
  whereAmI() {
    return { pid: process.pid, modules: globalThis.__describeCanary };
  }
  greet() {
    return this.ctx.config.greeting + ' x' + this.ctx.config.times;
  }
  async addJot(body, slug) {
    const jots = this.ctx.database.getRepository(Jot);
    const saved = await jots.save(jots.create({ body, slug }));
    return { id: saved.id, version: saved.version, rank: saved.rank, dated: saved.createdAt !== undefined && saved.createdAt !== null };
  }
  /** Any repository method on any of its entities, by name. */
  use(entity, method, ...args) {
    const repository = this.ctx.database.getRepository([${entities}].find((candidate) => candidate.name === entity));
    return repository[method](...args);
  }
  sql(statement) {
    return this.ctx.database.executeQuery(statement);
  }
  async jotBodies() {
    const rows = await this.ctx.database.executeQuery('SELECT body FROM jots ORDER BY id');
    return rows.map((row) => row.body);
  }
}
for (const method of ['whereAmI', 'greet', 'addJot', 'use', 'sql', 'jotBodies']) {
  Expose()(CanaryPlugin.prototype, method, Object.getOwnPropertyDescriptor(CanaryPlugin.prototype, method));
}
Plugin({
  name: ${JSON.stringify(name)},
  version: '1.0.0',
  description: 'leaves a canary where its module runs',
  isolation: ${isolation},
  entities: [${entities}],
  allowedTables: ${JSON.stringify(allowedTables)},
  configSchema: CanaryConfig,
  resourceLimits: { callTimeoutMs: 10000 },
})(CanaryPlugin);
export default CanaryPlugin;
`;
}

export async function writeCanaryPlugin(file: string, canaryFile: string, options: CanaryPluginOptions): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, canaryPluginSource(canaryFile, options));
  return file;
}

/** A package in `<root>/node_modules/<name>` whose entry is a canary plugin. */
export async function writeCanaryPackage(root: string, canaryFile: string, manifest: Record<string, unknown>, options: CanaryPluginOptions): Promise<void> {
  const directory = join(root, 'node_modules', options.name);
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'package.json'), JSON.stringify({ name: options.name, version: '1.0.0', type: 'module', main: 'index.js', ...manifest }));
  await writeFile(join(directory, 'index.js'), canaryPluginSource(canaryFile, options));
}

/** The pids the canary file records for `name` (none when no process could write it). */
export function canaryPids(canaryFile: string, name: string): number[] {
  let text = '';
  try {
    text = readFileSync(canaryFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([owner]) => owner === name)
    .map(([, pid]) => Number(pid));
}

/** The module names this process evaluated a canary plugin for. */
export function modulesRunHere(): string[] {
  return (globalThis as { __describeCanary?: string[] }).__describeCanary ?? [];
}

/** The pids of this process's children, from /proc (Linux). */
export function childPids(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}
