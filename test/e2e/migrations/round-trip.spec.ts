import 'reflect-metadata';
import { Column, Entity, Index, PrimaryGeneratedColumn, Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Plugin, type PluginOptions } from 'nestjs-plugins';
import { MigrationsRoundTripError, expectMigrationsRoundTrip } from 'nestjs-plugins/testing';
import { POSTGRES_SKIPPED, PG_URL } from '../../support/test-databases.js';

if (!PG_URL) it(POSTGRES_SKIPPED, () => undefined);

@Entity('note')
class TripNote {
  @PrimaryGeneratedColumn() id!: number;
  @Index('IDX_trip_note_text')
  @Column('varchar')
  text!: string;
  @Column('integer', { default: 0 }) stars!: number;
}

class CreateNotes1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'trip_note',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'text', type: 'varchar' },
        ],
      }),
    );
    await runner.createIndex('trip_note', new TableIndex({ name: 'IDX_trip_note_text', columnNames: ['text'] }));
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('trip_note');
  }
}

class AddStars1700000001000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('trip_note', new TableColumn({ name: 'stars', type: 'integer', default: 0 }));
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('trip_note', 'stars');
  }
}

/** Its down forgets the column its up added. */
class AddStarsForgetful1700000001000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('trip_note', new TableColumn({ name: 'stars', type: 'integer', default: 0 }));
  }
  async down(): Promise<void> {}
}

// `migrations` joins PluginOptions with the migration runner; until then the option passes through as metadata.
const plugin = (name: string, migrations: Function[]) => {
  @Plugin({ name, version: '1.0.0', entities: [TripNote], allowedTables: ['note'], migrations } as PluginOptions)
  class RoundTripPlugin {}
  return RoundTripPlugin;
};
const postgresUrl = PG_URL ?? false;

describe('expectMigrationsRoundTrip', () => {
  it('passes when every down undoes its up and the result is what the entities need, whatever order the migrations are listed in', async () => {
    await expect(expectMigrationsRoundTrip(plugin('trip', [AddStars1700000001000, CreateNotes1700000000000]), { postgresUrl })).resolves.toBeUndefined();
  });

  it('lists the difference a down leaves behind', async () => {
    const error = await expectMigrationsRoundTrip(plugin('trip', [CreateNotes1700000000000, AddStarsForgetful1700000001000]), { postgresUrl }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MigrationsRoundTripError);
    expect((error as Error).message).toMatch(
      /^Migrations of plugin "trip" do not round-trip on sqlite: down of AddStarsForgetful1700000001000 does not restore the schema before its up:\n {2}column "trip_note"\."stars" is new: integer NOT NULL default 0$/,
    );
  });

  it('names a migration that fails, and when', async () => {
    const error = await expectMigrationsRoundTrip(plugin('trip', [AddStars1700000001000]), { postgresUrl: false }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^Migrations of plugin "trip" do not round-trip on sqlite: up of AddStars1700000001000 failed on the empty schema before it: /);
  });

  it("lists what the plugin's entities need beyond the migrations", async () => {
    const error = await expectMigrationsRoundTrip(plugin('trip', [CreateNotes1700000000000]), { postgresUrl: false }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /^Migrations of plugin "trip" do not round-trip on sqlite: after every up, the plugin's entities still need \(what synchronize would run\):\n[\s\S]*"stars" integer NOT NULL DEFAULT/,
    );
    await expect(expectMigrationsRoundTrip(plugin('trip', [CreateNotes1700000000000]), { postgresUrl: false, matchEntities: false })).resolves.toBeUndefined();
  });

  it('fails a migration the host would refuse: it runs held to the plugin\'s own tables, as the host runs it', async () => {
    class TouchesHostTable1700000002000 implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('CREATE TABLE "users" ("id" integer PRIMARY KEY)');
      }
      async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('DROP TABLE "users"');
      }
    }
    const error = await expectMigrationsRoundTrip(plugin('trip', [CreateNotes1700000000000, AddStars1700000001000, TouchesHostTable1700000002000]), {
      postgresUrl: false,
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /^Migrations of plugin "trip" do not round-trip on sqlite: up of TouchesHostTable1700000002000 failed on the empty schema before it: Plugin "trip" may not access table "users"/,
    );
  });

  it('refuses a plugin without migrations, and a class that is no plugin', async () => {
    await expect(expectMigrationsRoundTrip(plugin('trip', []), { postgresUrl: false })).rejects.toThrow(
      'Migrations of plugin "trip" do not round-trip on sqlite: it declares no migrations (@Plugin({ migrations }))',
    );
    await expect(expectMigrationsRoundTrip(class NotAPlugin {})).rejects.toThrow('NotAPlugin is not decorated with @Plugin()');
  });

  (PG_URL ? it : it.skip)('runs on PostgreSQL too, in a schema of its own that it drops', async () => {
    await expect(expectMigrationsRoundTrip(plugin('trip', [CreateNotes1700000000000, AddStars1700000001000]), { postgresUrl: PG_URL! })).resolves.toBeUndefined();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const { rows } = await client.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'np_scratch_%'");
    await client.end();
    expect(rows).toEqual([]);
  });
});
