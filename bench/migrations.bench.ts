import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, Entity, PrimaryGeneratedColumn, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Expose, Plugin, PluginManager, PluginModule, PluginRegistry } from '../lib/index.js';
import { formatNumber, median, ratioFigure, timeOnceMs, type Figure } from './harness.js';

/**
 * Plugins on migrations (SPEC §17), on a SQLite file:
 * - boot of 100 plugins whose one migration already ran (a boot that only checks the ledger)
 *   against the same 100 plugins, without migrations, on a DataSource that synchronizes;
 * - how long a plugin is unavailable while `upgrade` runs its one pending migration, and
 *   how much of that is the migration itself.
 */

const PLUGINS = 100;
const BOOT_RUNS = 9;
const UPGRADE_RUNS = 7;
const UPGRADE_ROWS = 10_000;

function named<T>(name: string, make: () => T): T {
  return { [name]: make() }[name]!;
}

/** A fresh entity class (TypeORM keys metadata by class) for table `items`. */
function itemEntity(index: number): Type<unknown> {
  const entity = named(`Item${index}`, () => class {});
  PrimaryGeneratedColumn()(entity.prototype, 'id');
  Column('varchar', { length: 64, default: '' })(entity.prototype, 'label');
  Entity('items')(entity);
  return entity as Type<unknown>;
}

/** Plugin i's one migration: its `items` table. Same name and code each run, so the ledger knows it. */
function createItemsMigration(index: number): Type<MigrationInterface> {
  const table = `p${index}_items`;
  return named(`CreateItems${index}1700000000000`, () =>
    class implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "${table}" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "label" varchar(64) NOT NULL DEFAULT '')`);
      }
      async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "${table}"`);
      }
    },
  );
}

/** `tables: false`: the same plugins without entities or migrations, the cost of the plugins alone. */
function bootApp(database: string, withMigrations: boolean, tables = true): Type<unknown> {
  const plugins = Array.from({ length: PLUGINS }, (_, index) => {
    const pluginClass = named(`P${index}Plugin`, () => class {});
    Plugin({
      name: `p${index}`,
      version: '1.0.0',
      allowedTables: ['items'],
      ...(tables ? { entities: [itemEntity(index)] } : {}),
      ...(tables && withMigrations ? { migrations: [createItemsMigration(index)] } : {}),
    })(pluginClass);
    return pluginClass;
  });
  const app = named('MigrationBootApp', () => class {});
  Module({
    imports: [
      EventEmitterModule.forRoot(),
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database, synchronize: !withMigrations }),
      PluginModule.forRoot({ plugins }),
    ],
  })(app);
  return app;
}

async function boot(appModule: Type<unknown>): Promise<void> {
  const app = await NestFactory.createApplicationContext(appModule, { logger: false });
  await app.init();
  await app.close();
}

async function measureBoot(directory: string): Promise<{ migrations: number; synchronize: number; noTables: number }> {
  const migrationsFile = join(directory, 'migrations.sqlite');
  const synchronizeFile = join(directory, 'synchronize.sqlite');
  // The first boots create the tables: the timed ones find them there, as a restart does.
  await boot(bootApp(migrationsFile, true));
  await boot(bootApp(synchronizeFile, false));
  const migrations: number[] = [];
  const synchronize: number[] = [];
  const noTables: number[] = [];
  for (let run = 0; run < BOOT_RUNS; run++) {
    noTables.push(await timeOnceMs(() => boot(bootApp(join(directory, 'no-tables.sqlite'), true, false))));
    const withMigrations = () => timeOnceMs(() => boot(bootApp(migrationsFile, true))).then((ms) => migrations.push(ms));
    const withSynchronize = () => timeOnceMs(() => boot(bootApp(synchronizeFile, false))).then((ms) => synchronize.push(ms));
    if (run % 2 === 0) {
      await withMigrations();
      await withSynchronize();
    } else {
      await withSynchronize();
      await withMigrations();
    }
  }
  return { migrations: median(migrations), synchronize: median(synchronize), noTables: median(noTables) };
}

/** How long the last run of `AddPriority`'s up took. */
let migrationMs = 0;

class CreateNotes1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notes_notes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(64) NOT NULL)`);
    // In batches of plain INSERTs: the guard's migration mode runs no CTE around a data statement.
    for (let first = 1; first <= UPGRADE_ROWS; first += 500) {
      const titles = Array.from({ length: Math.min(500, UPGRADE_ROWS - first + 1) }, (_, offset) => `note ${first + offset}`);
      await queryRunner.query(`INSERT INTO "notes_notes" ("title") VALUES ${titles.map(() => '(?)').join(', ')}`, titles);
    }
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notes_notes"`);
  }
}

class AddPriority1700000001000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const start = performance.now();
    await queryRunner.addColumn('notes_notes', new TableColumn({ name: 'priority', type: 'integer', isNullable: false, default: 0 }));
    migrationMs = performance.now() - start;
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('notes_notes', 'priority');
  }
}

function notesVersion(version: string, migrations: Type<MigrationInterface>[]): Type<unknown> {
  const pluginClass = named(`Notes${version.replaceAll('.', '')}`, () =>
    class {
      ping(): string {
        return version;
      }
    },
  );
  Expose()(pluginClass.prototype, 'ping', Object.getOwnPropertyDescriptor(pluginClass.prototype, 'ping')!);
  Plugin({ name: 'notes', version, allowedTables: ['notes'], migrations })(pluginClass);
  return pluginClass;
}

/**
 * One upgrade: how long no call could reach the plugin, and the migration's own time. The
 * window is measured from the `upgrade` call to the new version's `plugin:loaded`: an upper
 * bound, as calls still reach the old version until it starts draining (after the ledger
 * check). Polling calls would not see it: on better-sqlite3 the upgrade may never yield a macrotask.
 */
async function measureUpgrade(database: string): Promise<{ unavailableMs: number; migrationMs: number }> {
  const app = named('UpgradeApp', () => class {});
  Module({
    imports: [
      EventEmitterModule.forRoot(),
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database }),
      PluginModule.forRoot({ plugins: [notesVersion('1.0.0', [CreateNotes1700000000000])] }),
    ],
  })(app);
  const context = await NestFactory.createApplicationContext(app, { logger: false });
  await context.init();
  try {
    let startedAt = 0;
    let loadedAt: number | undefined;
    context.get(EventEmitter2).on('plugin:loaded', (metadata: { version: string }) => {
      if (metadata.version === '2.0.0') loadedAt = performance.now();
    });
    startedAt = performance.now();
    await context.get(PluginManager).upgrade('notes', notesVersion('2.0.0', [CreateNotes1700000000000, AddPriority1700000001000]));
    if (loadedAt === undefined) throw new Error('the new version never started');
    if (context.get(PluginRegistry).call('notes', 'ping') === undefined) throw new Error('the new version does not answer');
    return { unavailableMs: loadedAt - startedAt, migrationMs };
  } finally {
    await context.close();
  }
}

export async function runMigrationsBench(): Promise<Figure[]> {
  const directory = await mkdtemp(join(tmpdir(), 'bench-migrations-'));
  try {
    const { migrations, synchronize, noTables } = await measureBoot(directory);
    const unavailable: number[] = [];
    const migration: number[] = [];
    for (let run = 0; run < UPGRADE_RUNS; run++) {
      const result = await measureUpgrade(join(directory, `upgrade-${run}.sqlite`));
      unavailable.push(result.unavailableMs);
      migration.push(result.migrationMs);
    }
    const [unavailableMs, ownMs] = [median(unavailable), median(migration)];
    return [
      ratioFigure(`boot ${PLUGINS} plugins, one applied migration each, vs the same with synchronize (median of ${BOOT_RUNS})`, migrations, synchronize, 'ms', 1.2),
      ratioFigure(`boot ${PLUGINS} plugins, one entity and one applied migration each, vs the same plugins without tables (median of ${BOOT_RUNS})`, migrations, noTables, 'ms'),
      {
        name: `upgrade unavailability beyond the migration (median of ${UPGRADE_RUNS})`,
        detail: `unavailable ${formatNumber(unavailableMs)} ms, of which the migration (a NOT NULL column on ${UPGRADE_ROWS} rows) ${formatNumber(ownMs)} ms`,
        value: unavailableMs - ownMs,
        unit: 'ms',
        target: { comparison: '≤', limit: 100 },
      },
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
