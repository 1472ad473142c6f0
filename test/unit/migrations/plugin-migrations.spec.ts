import 'reflect-metadata';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { PluginMigrationError } from '../../../lib/errors/index.js';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';
import { PluginMigrations } from '../../../lib/migrations/plugin-migrations.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';

class CreateJots1 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "jots_jots" ("id" integer PRIMARY KEY, "body" text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "jots_jots"');
  }
}

class AddTag2 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jots_jots" ADD COLUMN "tag" text');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jots_jots" DROP COLUMN "tag"');
  }
}

/** Named like CreateJots1, with other code: what an edited, already-run migration looks like. */
const EditedCreateJots1 = {
  CreateJots1: class implements MigrationInterface {
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('CREATE TABLE "jots_jots" ("id" integer PRIMARY KEY, "body" varchar(10) NOT NULL)');
    }
    async down(): Promise<void> {}
  },
}.CreateJots1;

/** Its first statement works, its second fails: the transaction takes both back. */
class Broken3 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "jots_jots" ADD COLUMN "extra" text');
    await queryRunner.query('INSERT INTO "jots_jots" ("id") VALUES (1)');
  }
  async down(): Promise<void> {}
}

describe('PluginMigrations on SQLite', () => {
  let dataSource: DataSource;
  let warnings: string[];
  let migrations: PluginMigrations;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    warnings = [];
    migrations = new PluginMigrations(dataSource, (message) => warnings.push(message));
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  const subject = (version: string, classes: PluginMetadata['migrations']) => {
    const metadata: PluginMetadata = { name: 'jots', version, migrations: classes, allowedTables: ['jots'] };
    return { metadata, scope: new ResourceScope(metadata, new ResourceOverridesStore()) };
  };
  const applied = async (): Promise<string[]> =>
    (await dataSource.query(`SELECT "name" FROM "plugin_migrations" WHERE "plugin" = 'jots' ORDER BY rowid`)).map((row: { name: string }) => row.name);
  const columns = async (): Promise<string[]> =>
    (await dataSource.query(`SELECT "name" FROM pragma_table_info('jots_jots') ORDER BY "cid"`)).map((row: { name: string }) => row.name);

  it('runs what is pending in timestamp order, records it, and runs nothing the second time', async () => {
    expect(await migrations.migrate(subject('1.0.0', [AddTag2, CreateJots1]), false)).toEqual(['CreateJots1', 'AddTag2']);
    expect(await columns()).toEqual(['id', 'body', 'tag']);
    expect(await migrations.migrate(subject('1.0.0', [AddTag2, CreateJots1]), false)).toEqual([]);
    expect(await applied()).toEqual(['CreateJots1', 'AddTag2']);
  });

  it('warns about a migration whose code changed since it ran, and does not run it again', async () => {
    await migrations.migrate(subject('1.0.0', [CreateJots1]), true);
    await migrations.migrate(subject('1.0.1', [EditedCreateJots1]), false);
    expect(warnings).toEqual(['Plugin "jots" 1.0.1: the migrations CreateJots1 changed since they ran; they do not run again']);
    expect(await columns()).toEqual(['id', 'body']);
  });

  it('rolls a failing migration back whole; the ones before it stay applied', async () => {
    await migrations.migrate(subject('1.0.0', [CreateJots1]), false);
    const error = await migrations.migrate(subject('2.0.0', [CreateJots1, Broken3]), false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginMigrationError);
    expect((error as Error).message).toMatch(/^Plugin "jots" migration Broken3 failed \(up\): .*NOT NULL/);
    expect(await columns()).toEqual(['id', 'body']);
    expect(await applied()).toEqual(['CreateJots1']);
  });

  it('undoes named migrations newest first, and reverts down to `to`', async () => {
    await migrations.migrate(subject('2.0.0', [CreateJots1, AddTag2]), false);
    await migrations.undo(subject('2.0.0', [CreateJots1, AddTag2]), ['AddTag2']);
    expect(await columns()).toEqual(['id', 'body']);
    await migrations.migrate(subject('2.0.0', [CreateJots1, AddTag2]), false);
    expect(await migrations.revert(subject('2.0.0', [CreateJots1, AddTag2]), 'CreateJots1')).toEqual(['AddTag2']);
    expect(await applied()).toEqual(['CreateJots1']);
  });

  it('tells the schema as last seen, with no query: the applied migrations, and those a failed start left pending', async () => {
    expect(migrations.statusOf(subject('1.0.0', [CreateJots1]).metadata)).toBeUndefined();
    await migrations.migrate(subject('1.0.0', [CreateJots1]), false);
    await migrations.migrate(subject('2.0.0', [CreateJots1, Broken3]), false).catch(() => undefined);
    expect(migrations.statusOf(subject('2.0.0', [CreateJots1, Broken3]).metadata)).toEqual({ applied: ['CreateJots1'], pending: ['Broken3'] });
    await migrations.revert(subject('1.0.0', [CreateJots1]), 'CreateJots1');
    expect(migrations.statusOf({ name: 'jots', version: '1.0.0' })).toBeUndefined();
  });
});
