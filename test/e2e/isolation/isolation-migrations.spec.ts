import 'reflect-metadata';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/test-databases.js';
import { loadCompiledLibrary, type CompiledLibrary } from './support/isolation-harness.js';
import { ADD_COLOR, addTag, CREATE_JARS, jarsTable, ranInHost, writeMigratingPlugin } from './support/migrating-plugins.js';

/**
 * SPEC §17 for isolated plugins (docs/isolation.md, "Migrations"): their migrations run in a
 * guest, never in the host, while the host keeps the transaction, the scoped runner, the ledger
 * and the lock. Judged by effects: tables and rows in the database, the ledger, and the traces
 * plugin code leaves in the process that ran it.
 */
const HOST_TABLE = 'host_canary';
const OTHER_TABLE = 'other_jars';

/** A first migration whose second statement reaches outside the plugin. */
const hostile = (statement: string) => `
export class CreateJars1700000000000 {
  async up(queryRunner) {
    ran('hostile up');
    await queryRunner.query(\`CREATE TABLE "\${T}" ("id" integer PRIMARY KEY, "body" varchar(200) NOT NULL)\`);
    await queryRunner.query(${JSON.stringify(statement)});
  }
  async down() {}
}`;

describe.each(databaseKinds)('isolated plugins migrate in their guest, on %s', (kind) => {
  describe.each(['thread', 'process'] as const)('%s', (mode) => {
    let lib: CompiledLibrary;
    let database: TestDatabase;
    let directory: string;
    const apps: INestApplicationContext[] = [];

    beforeAll(async () => {
      lib = await loadCompiledLibrary();
      await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
    }, 180_000);

    beforeEach(async () => {
      database = await createTestDatabase(kind);
      directory = await mkdtemp(join(process.cwd(), 'test', '.tmp', 'iso-mig-'));
    });

    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
      await database.drop();
      await rm(directory, { recursive: true, force: true });
    });

    async function host(options: Record<string, unknown> = {}): Promise<INestApplicationContext> {
      const moduleRef = await Test.createTestingModule({
        imports: [TypeOrmModule.forRoot({ ...database.connection, synchronize: false }), lib.PluginModule.forRoot(options as never)],
      }).compile();
      moduleRef.useLogger(false);
      const app = await moduleRef.init();
      apps.push(app);
      return app;
    }

    const call = (app: INestApplicationContext, name: string, method: string, ...args: unknown[]): Promise<any> =>
      Promise.resolve((app.get(lib.PluginRegistry) as any).call(name, method, ...args));
    const query = (app: INestApplicationContext, sql: string): Promise<any[]> => app.get(DataSource).query(sql);
    const tableExists = async (app: INestApplicationContext, table: string): Promise<boolean> =>
      kind === 'sqlite'
        ? (await query(app, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${table}'`)).length === 1
        : (await query(app, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '${table}'`)).length === 1;
    const ledger = (app: INestApplicationContext, name: string) => query(app, `SELECT "name" FROM "plugin_migrations" WHERE "plugin" = '${name}' ORDER BY "name"`);
    const chain = (error: unknown): unknown[] => (error instanceof Error ? [error, ...chain(error.cause)] : []);

    function expectNoPluginCodeInHost(name: string): void {
      expect(ranInHost().migrations.filter((entry) => entry.startsWith(`${name} `))).toEqual([]);
      if (mode === 'process') expect(ranInHost().modules).not.toContain(name);
    }

    async function loadFailure(app: INestApplicationContext, file: string): Promise<unknown[]> {
      const error = await app.get(lib.PluginManager).load(file).then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeDefined();
      return chain(error);
    }

    it('creates its table by migration without synchronize, records it, and serves rows; no migration code runs in the host', async () => {
      const name = `jar-${mode}`;
      await writeMigratingPlugin(join(directory, 'plugins', 'jar.plugin.js'), { name, isolation: mode, migrations: CREATE_JARS, migrationNames: ['CreateJars1700000000000'] });
      const app = await host({ pluginsDir: join(directory, 'plugins') });
      await expect(call(app, name, 'add', 'first')).resolves.toBe(2);
      await expect(call(app, name, 'bodies')).resolves.toEqual(['seed', 'first']);
      const where = await call(app, name, 'whereAmI');
      expect(mode === 'process' ? where.pid : where.threadId).not.toBe(mode === 'process' ? process.pid : threadId);
      await expect(ledger(app, name)).resolves.toEqual([{ name: 'CreateJars1700000000000' }]);
      expectNoPluginCodeInHost(name);
    }, 90_000);

    it.each([
      ['a host table', `UPDATE "${HOST_TABLE}" SET "v" = 'owned'`],
      ["another plugin's table", `DROP TABLE "${OTHER_TABLE}"`],
    ])('a migration reaching %s is refused with TableAccessDeniedError and rolled back', async (_, statement) => {
      const name = `hostile-${mode}`;
      const app = await host();
      await query(app, `CREATE TABLE "${HOST_TABLE}" ("id" integer PRIMARY KEY, "v" varchar(20))`);
      await query(app, `INSERT INTO "${HOST_TABLE}" ("id", "v") VALUES (1, 'intact')`);
      await query(app, `CREATE TABLE "${OTHER_TABLE}" ("id" integer PRIMARY KEY, "body" varchar(20))`);
      await query(app, `INSERT INTO "${OTHER_TABLE}" ("id", "body") VALUES (1, 'theirs')`);
      const file = await writeMigratingPlugin(join(directory, 'hostile.plugin.js'), { name, isolation: mode, migrations: hostile(statement), migrationNames: ['CreateJars1700000000000'] });
      const causes = await loadFailure(app, file);
      expect(causes.some((error) => error instanceof lib.PluginMigrationError)).toBe(true);
      expect(causes.some((error) => error instanceof lib.TableAccessDeniedError)).toBe(true);
      await expect(query(app, `SELECT "v" FROM "${HOST_TABLE}"`)).resolves.toEqual([{ v: 'intact' }]);
      await expect(query(app, `SELECT "body" FROM "${OTHER_TABLE}"`)).resolves.toEqual([{ body: 'theirs' }]);
      await expect(tableExists(app, jarsTable(name))).resolves.toBe(false);
      await expect(ledger(app, name)).resolves.toEqual([]);
      expect(() => (app.get(lib.PluginRegistry) as any).call(name, 'bodies')).toThrow();
      expectNoPluginCodeInHost(name);
    }, 90_000);

    it('a migration that throws is rolled back and the plugin does not start (PluginMigrationError)', async () => {
      const name = `broken-${mode}`;
      const app = await host();
      const throwing = `
export class CreateJars1700000000000 {
  async up(queryRunner) {
    await queryRunner.query(\`CREATE TABLE "\${T}" ("id" integer PRIMARY KEY, "body" varchar(200) NOT NULL)\`);
    throw new Error('broken on purpose');
  }
  async down() {}
}`;
      const file = await writeMigratingPlugin(join(directory, 'broken.plugin.js'), { name, isolation: mode, migrations: throwing, migrationNames: ['CreateJars1700000000000'] });
      const causes = await loadFailure(app, file);
      const migrationError = causes.find((error) => error instanceof lib.PluginMigrationError) as Error | undefined;
      expect(migrationError?.message).toBe(`Plugin "${name}" migration CreateJars1700000000000 failed (up): broken on purpose`);
      await expect(tableExists(app, jarsTable(name))).resolves.toBe(false);
      await expect(ledger(app, name)).resolves.toEqual([]);
      expect(() => (app.get(lib.PluginRegistry) as any).call(name, 'bodies')).toThrow();
    }, 90_000);

    it("the schema builder is refused in the guest, naming the plugin and pointing to queryRunner.query", async () => {
      const name = `builder-${mode}`;
      const app = await host();
      const builder = `
export class CreateJars1700000000000 {
  async up(queryRunner) {
    await queryRunner.createTable({ name: T, columns: [{ name: 'id', type: 'integer', isPrimary: true }] });
  }
  async down() {}
}`;
      const file = await writeMigratingPlugin(join(directory, 'builder.plugin.js'), { name, isolation: mode, migrations: builder, migrationNames: ['CreateJars1700000000000'] });
      const causes = await loadFailure(app, file);
      const migrationError = causes.find((error) => error instanceof lib.PluginMigrationError) as Error | undefined;
      expect(migrationError?.message).toContain(
        `Plugin "${name}": queryRunner.createTable is not available to the migrations of an isolated plugin; use queryRunner.query(sql, parameters) in isolated plugins`,
      );
      await expect(tableExists(app, jarsTable(name))).resolves.toBe(false);
    }, 90_000);
    it("upgrade, a failed upgrade's undo and revert run each version's migrations in its guest", async () => {
      const name = `over-time-${mode}`;
      const table = jarsTable(name);
      const all = ['CreateJars1700000000000', 'AddColor1700000001000', 'AddTag1700000002000'];
      const write = (file: string, version: string, count: number, { initFails = false, tagThrows = false } = {}) =>
        writeMigratingPlugin(join(directory, file), {
          name,
          isolation: mode,
          version,
          migrations: [CREATE_JARS, ADD_COLOR, addTag(tagThrows)].slice(0, count).join('\n'),
          migrationNames: all.slice(0, count),
          initFails,
        });
      const app = await host();
      const manager = app.get(lib.PluginManager);
      await manager.load(await write('v1/jar.plugin.js', '1.0.0', 1));
      await call(app, name, 'add', 'kept');
      await manager.upgrade(name, await write('v2/jar.plugin.js', '2.0.0', 2));
      await expect(query(app, `SELECT "body", "color" FROM "${table}" ORDER BY "id"`)).resolves.toEqual([
        { body: 'seed', color: 'red' },
        { body: 'kept', color: 'red' },
      ]);
      // v3's migration works, its start fails: the migration is undone by v3's own down, in a guest, and v2 serves again.
      const initFails = await write('v3/jar.plugin.js', '3.0.0', 3, { initFails: true });
      await expect(manager.upgrade(name, initFails)).rejects.toBeInstanceOf(lib.PluginUpgradeError);
      // v3b's migration throws after adding its column: rolled back.
      const throwing = await write('v3b/jar.plugin.js', '3.0.0', 3, { tagThrows: true });
      await expect(manager.upgrade(name, throwing)).rejects.toBeInstanceOf(lib.PluginUpgradeError);
      const columns = async () =>
        kind === 'sqlite'
          ? (await query(app, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)).map((row) => row.name)
          : (await query(app, `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`)).map((row) => row.column_name);
      await expect(columns()).resolves.toEqual(['id', 'body', 'color']);
      await expect(call(app, name, 'bodies')).resolves.toEqual(['seed', 'kept']);
      await expect(ledger(app, name)).resolves.toEqual([{ name: 'AddColor1700000001000' }, { name: 'CreateJars1700000000000' }]);
      await expect(manager.revert(name, { to: 'CreateJars1700000000000' })).resolves.toEqual(['AddColor1700000001000']);
      await expect(columns()).resolves.toEqual(['id', 'body']);
      await expect(ledger(app, name)).resolves.toEqual([{ name: 'CreateJars1700000000000' }]);
      await manager.load(join(directory, 'v1/jar.plugin.js'));
      await expect(call(app, name, 'bodies')).resolves.toEqual(['seed', 'kept']);
      expectNoPluginCodeInHost(name);
    }, 180_000);
  });
});
