import 'reflect-metadata';
import { jest } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadCompiledLibrary, type CompiledLibrary } from '../../isolation/support/isolation-harness.js';
import { canaryPids, childPids, modulesRunHere, writeCanaryPackage, writeCanaryPlugin } from './support/canary-plugins.js';

/**
 * SPEC §16: the host never executes a 'process' plugin's code, not even to read its metadata.
 * Judged by effects: the canary file never holds the host's pid, and the module never ran in
 * this process (its global marker is absent), whichever way the plugin arrives.
 */
describe("a 'process' plugin's module never runs in the host", () => {
  let lib: CompiledLibrary;
  let directory: string;
  let canary: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
    directory = await mkdtemp(join(process.cwd(), 'test', '.tmp', 'describe-'));
    canary = join(directory, 'canary.log');
  }, 120_000);

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function host(options: Record<string, unknown>): Promise<INestApplicationContext> {
    const moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }), lib.PluginModule.forRoot(options as never)],
    }).compile();
    moduleRef.useLogger(false);
    const app = await moduleRef.init();
    apps.push(app);
    return app;
  }

  const call = (app: INestApplicationContext, name: string, method: string, ...args: unknown[]): Promise<any> =>
    Promise.resolve((app.get(lib.PluginRegistry) as any).call(name, method, ...args));

  function expectNeverRanInHost(name: string): void {
    expect(canaryPids(canary, name)).not.toContain(process.pid);
    expect(modulesRunHere()).not.toContain(name);
  }

  /** Its call, repository (TypeORM columns, defaults, version, create date), raw SQL and configuration all work. */
  async function expectWorking(app: INestApplicationContext, name: string, greeting: string): Promise<void> {
    const where = await call(app, name, 'whereAmI');
    expect(where.pid).not.toBe(process.pid);
    expect(where.modules).toContain(name);
    await expect(call(app, name, 'greet')).resolves.toBe(greeting);
    await expect(call(app, name, 'addJot', 'first', `${name}-a`)).resolves.toEqual({ id: 1, version: 1, rank: 0, dated: true });
    await expect(call(app, name, 'addJot', 'again', `${name}-a`)).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(call(app, name, 'jotBodies')).resolves.toEqual(['first']);
  }

  it('from pluginsDir at boot: its file says process, a guest describes it', async () => {
    await writeCanaryPlugin(join(directory, 'boot', 'canary.plugin.js'), canary, { name: 'iso-canary-boot' });
    const app = await host({ pluginsDir: join(directory, 'boot'), config: { 'iso-canary-boot': { greeting: 'hi', times: 2 } } });
    await expectWorking(app, 'iso-canary-boot', 'hi x2');
    expectNeverRanInHost('iso-canary-boot');
  }, 60_000);

  it('with forRootAsync, whose configuration is not known while describing: a guest checks it at registration', async () => {
    await writeCanaryPlugin(join(directory, 'async', 'canary.plugin.js'), canary, { name: 'iso-canary-async' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
        lib.PluginModule.forRootAsync({ pluginsDir: join(directory, 'async'), useFactory: () => ({ config: { 'iso-canary-async': { greeting: 'late', times: 4 } } }) }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    const app = await moduleRef.init();
    apps.push(app);
    await expectWorking(app, 'iso-canary-async', 'late x4');
    expectNeverRanInHost('iso-canary-async');
  }, 60_000);

  it('from PluginManager.loadFromDirectory', async () => {
    await writeCanaryPlugin(join(directory, 'boot', 'canary.plugin.js'), canary, { name: 'iso-canary-boot' });
    const app = await host({ config: { 'iso-canary-boot': { greeting: 'hey', times: 3 } } });
    await app.get(lib.PluginManager).loadFromDirectory(join(directory, 'boot'));
    await expectWorking(app, 'iso-canary-boot', 'hey x3');
    expectNeverRanInHost('iso-canary-boot');
  }, 60_000);

  it('from PluginManager.load(file), and again on reload', async () => {
    const file = await writeCanaryPlugin(join(directory, 'runtime', 'canary.plugin.js'), canary, { name: 'iso-canary-runtime' });
    const app = await host({});
    const manager = app.get(lib.PluginManager);
    const before = childPids();
    await manager.load(file);
    // The describing guest is gone; the plugin's own guest runs.
    expect(childPids()).toHaveLength(before.length + 1);
    await expectWorking(app, 'iso-canary-runtime', 'hello x1');
    await manager.reload('iso-canary-runtime');
    await expect(call(app, 'iso-canary-runtime', 'jotBodies')).resolves.toEqual(['first']);
    await manager.unload('iso-canary-runtime');
    expect(childPids()).toEqual(before);
    expectNeverRanInHost('iso-canary-runtime');
  }, 60_000);

  it('from a package whose manifest says process, even when its code hides the word', async () => {
    const root = join(directory, 'app');
    const name = 'iso-canary-package';
    await writeCanaryPackage(root, canary, { nestjsPlugin: { isolation: 'process' } }, { name, isolation: `['pro', 'cess'].join('')` });
    const app = await host({ packages: [name], packagesRoot: root });
    await expectWorking(app, name, 'hello x1');
    await app.get(lib.PluginManager).reload(name);
    await expect(call(app, name, 'jotBodies')).resolves.toEqual(['first']);
    expectNeverRanInHost(name);
  }, 60_000);

  it("when forRoot({ isolation }) maps a plugin to process: every file is described, as its name is not known before", async () => {
    const file = await writeCanaryPlugin(join(directory, 'mapped', 'canary.plugin.js'), canary, { name: 'iso-canary-mapped', isolation: 'undefined' });
    const app = await host({ isolation: { 'iso-canary-mapped': 'process' } });
    await app.get(lib.PluginManager).load(file);
    await expectWorking(app, 'iso-canary-mapped', 'hello x1');
    expectNeverRanInHost('iso-canary-mapped');
  }, 60_000);

  it('control: a plugin the host runs in a thread (trusted) is imported by the host, and the canary shows it', async () => {
    const file = await writeCanaryPlugin(join(directory, 'thread', 'canary.plugin.js'), canary, { name: 'iso-canary-thread' });
    const app = await host({ isolation: { 'iso-canary-thread': 'thread' } });
    await app.get(lib.PluginManager).load(file);
    expect(canaryPids(canary, 'iso-canary-thread')).toContain(process.pid);
    expect(modulesRunHere()).toContain('iso-canary-thread');
  }, 60_000);

  it('warns, and still isolates, when nothing said process before the host imported the plugin', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const file = await writeCanaryPlugin(join(directory, 'hidden', 'canary.plugin.js'), canary, { name: 'iso-canary-hidden', isolation: `['pro', 'cess'].join('')` });
      const app = await host({});
      await app.get(lib.PluginManager).load(file);
      expect((await call(app, 'iso-canary-hidden', 'whereAmI')).pid).not.toBe(process.pid);
      expect(modulesRunHere()).toContain('iso-canary-hidden');
      expect(warn).toHaveBeenCalledWith(
        `Plugin "iso-canary-hidden" runs in a process, but its module ran in the host first: nothing said 'process' before it was imported. ` +
          `To have its metadata read inside the guest, name it in forRoot({ isolation: { 'iso-canary-hidden': 'process' } }), ` +
          `write isolation: 'process' literally in its @Plugin(), or, for a package, add "nestjsPlugin": { "isolation": "process" } to its package.json`,
      );
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it('refuses a source that cannot be described with the errors of an import, and leaves no process behind', async () => {
    const broken = join(directory, 'broken');
    const throwing = await writeCanaryPlugin(join(broken, 'throws.plugin.js'), canary, { name: 'iso-canary-throws', prelude: `throw new Error('boom at import');` });
    const exiting = await writeCanaryPlugin(join(broken, 'exits.plugin.js'), canary, { name: 'iso-canary-exits', prelude: 'process.exit(3);' });
    const notAPlugin = join(broken, 'not-a-plugin.plugin.js');
    await writeFile(notAPlugin, `export const options = { isolation: 'process' };\nexport default class NotAPlugin {}\n`);
    const app = await host({});
    const manager = app.get(lib.PluginManager);
    const before = childPids();
    await expect(manager.load(throwing)).rejects.toThrow(`Cannot load plugin from "${throwing}": import failed: boom at import`);
    await expect(manager.load(exiting)).rejects.toThrow(`Cannot load plugin from "${exiting}": import failed: the process that read its metadata exited with code 3`);
    await expect(manager.load(notAPlugin)).rejects.toThrow(`Cannot load plugin from "${notAPlugin}": its default export is not a class decorated with @Plugin()`);
    expect(childPids()).toEqual(before);
    expect(app.get(lib.PluginRegistry).list()).toEqual([]);
    expectNeverRanInHost('iso-canary-throws');
    expectNeverRanInHost('iso-canary-exits');
  }, 60_000);

  it("checks the configuration in the describing guest, with the host's own message", async () => {
    const file = await writeCanaryPlugin(join(directory, 'config', 'canary.plugin.js'), canary, { name: 'iso-canary-config' });
    const app = await host({ config: { 'iso-canary-config': { times: 0, colour: 'red' } } });
    await expect(app.get(lib.PluginManager).load(file)).rejects.toThrow(
      `Cannot load plugin from "${file}": Invalid configuration for plugin "iso-canary-config": property colour should not exist; times must not be less than 1`,
    );
    expectNeverRanInHost('iso-canary-config');
  }, 60_000);

  /** Owner 1—n Jot (join column named), Jot n—m Tag (join table): relations within the plugin's entities. */
  const relatedEntities = [
    `export class Owner {}`,
    `Entity('owners')(Owner);`,
    `PrimaryGeneratedColumn()(Owner.prototype, 'id');`,
    `Column({ type: 'varchar' })(Owner.prototype, 'name');`,
    `OneToMany(() => Jot, (jot) => jot.owner)(Owner.prototype, 'jots');`,
    `ManyToOne(() => Owner, (owner) => owner.jots, { nullable: true, onDelete: 'CASCADE' })(Jot.prototype, 'owner');`,
    `JoinColumn({ name: 'owner_ref' })(Jot.prototype, 'owner');`,
    `export class Tag {}`,
    `Entity('tags')(Tag);`,
    `PrimaryGeneratedColumn()(Tag.prototype, 'id');`,
    `Column({ type: 'varchar' })(Tag.prototype, 'label');`,
    `ManyToMany(() => Tag)(Jot.prototype, 'tags');`,
    `JoinTable({ name: 'jot_tags' })(Jot.prototype, 'tags');`,
  ].join('\n');

  it("describes relations between the plugin's own entities", async () => {
    const name = 'iso-canary-relations';
    const file = await writeCanaryPlugin(join(directory, 'relations', 'canary.plugin.js'), canary, {
      name,
      entityExtras: relatedEntities,
      entities: 'Jot, Owner, Tag',
      allowedTables: ['jots', 'owners', 'tags', 'jot_tags'],
    });
    const app = await host({});
    await app.get(lib.PluginManager).load(file);
    const owner = await call(app, name, 'use', 'Owner', 'save', { name: 'ann' });
    const tag = await call(app, name, 'use', 'Tag', 'save', { label: 'red' });
    await call(app, name, 'use', 'Jot', 'save', { body: 'owned', owner: { id: owner.id }, tags: [{ id: tag.id }] });
    const [jot] = await call(app, name, 'use', 'Jot', 'find', { relations: { owner: true, tags: true } });
    expect(jot).toMatchObject({ body: 'owned', owner: { id: owner.id, name: 'ann' }, tags: [{ id: tag.id, label: 'red' }] });
    const [withJots] = await call(app, name, 'use', 'Owner', 'find', { relations: { jots: true } });
    expect(withJots.jots).toEqual([expect.objectContaining({ body: 'owned' })]);
    // The join column and the join table keep their declared names, the table under the plugin's prefix.
    await expect(call(app, name, 'sql', 'SELECT owner_ref FROM jots')).resolves.toEqual([{ owner_ref: owner.id }]);
    await expect(call(app, name, 'sql', 'SELECT count(*) AS n FROM jot_tags')).resolves.toEqual([{ n: 1 }]);
    expectNeverRanInHost(name);
  }, 60_000);

  it("refuses a relation to a class that is not one of the plugin's entities, by plugin and entity", async () => {
    const file = await writeCanaryPlugin(join(directory, 'foreign-relation', 'canary.plugin.js'), canary, { name: 'iso-canary-foreign', entityExtras: relatedEntities, entities: 'Jot, Tag' });
    const app = await host({});
    await expect(app.get(lib.PluginManager).load(file)).rejects.toThrow(
      `Invalid metadata for plugin "iso-canary-foreign": entity Jot has a relation owner to Owner, which is not one of the plugin's entities`,
    );
    expectNeverRanInHost('iso-canary-foreign');
  }, 60_000);
});
