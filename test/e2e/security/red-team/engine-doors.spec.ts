import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InjectPluginContext, Plugin, PluginModule, type PluginContext } from 'nestjs-plugins';
import { bootApp } from '../../support/boot-app.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type TestDatabase } from '../../../support/test-databases.js';
import { measureLoop } from './support/loop-gap-meter.js';

/**
 * SPEC §16, the engines' side: a table the host swaps for a view is not read through a cached
 * verdict, and a plugin's concurrent statements leave the host's pool free. Judged by effects:
 * the canary row never reaches the plugin; the host's own query answers in time.
 */
const CANARY = 'cnry-swapped-view-7d1f';
/** The promise is 100 ms; 50 ms more for this suite's shared two-core machines. */
const HOST_BUDGET_MS = 150;

@Entity('notes')
class SwapNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') name!: string;
}

@Plugin({ name: 'swapper', version: '1.0.0', entities: [SwapNote], allowedTables: ['notes'] })
class SwapperPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Entity('secrets')
class BankSecret {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') secret!: string;
}

@Plugin({ name: 'bank', version: '1.0.0', entities: [BankSecret], allowedTables: ['secrets'] })
class BankPlugin {}

@Entity('rows')
class FloodRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') name!: string;
}

@Plugin({ name: 'flooder', version: '1.0.0', entities: [FloodRow], allowedTables: ['rows'] })
class FlooderPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

describe.each(databaseKinds)('engine doors on %s', (kind) => {
  let app: INestApplication;
  let database: TestDatabase;
  let host: DataSource;
  const plugin = () => app.get(SwapperPlugin).ctx.database;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [SwapperPlugin, BankPlugin, FlooderPlugin], sqlTimeoutMs: 1000 }),
    ]);
    host = app.get(DataSource);
    await host.query(`INSERT INTO bank_secrets (secret) VALUES ('${CANARY}')`);
    await plugin().executeQuery(`INSERT INTO notes (name) VALUES ('mine')`);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('does not read through a table the host swapped for a view within the verdict cache', async () => {
    await expect(plugin().executeQuery('SELECT id, name FROM notes')).resolves.toEqual([{ id: 1, name: 'mine' }]);
    await host.query('DROP TABLE swapper_notes');
    await host.query('CREATE VIEW swapper_notes AS SELECT id, secret AS name FROM bank_secrets');
    const again = await plugin()
      .executeQuery('SELECT id, name FROM notes')
      .catch((error: Error) => error);
    expect(JSON.stringify(again instanceof Error ? again.message : again)).not.toContain(CANARY);
    await host.query('DROP VIEW swapper_notes');
  });

  if (kind === 'postgres') {
    it('keeps the host’s pool answering while the plugin floods it with concurrent statements', async () => {
      await host.query(`INSERT INTO flooder_rows (name) SELECT 'row ' || n FROM generate_series(1, 1500) AS n`);
      const flooder = app.get(FlooderPlugin).ctx.database;
      // A few hundred ms each (2.25 million pairs of the plugin's own rows), well under sqlTimeoutMs.
      const statement = 'SELECT count(*) AS n FROM rows a, rows b WHERE a.id + b.id > 0';
      await flooder.executeQuery(statement);
      const batch = async () => {
        for (let index = 0; index < 2; index++) await flooder.executeQuery(statement);
      };
      const reading = await measureLoop(() => Promise.all(Array.from({ length: 12 }, batch)), () => host.query('SELECT 1'));
      expect(reading.outcome.status).toBe('fulfilled');
      expect(reading.probes).toBeGreaterThan(3);
      expect(reading.maxProbeMs).toBeLessThan(HOST_BUDGET_MS);
    }, 60_000);
  }
});

if (!databaseKinds.includes('postgres')) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs the engine doors on PostgreSQL', () => undefined);
  });
}
