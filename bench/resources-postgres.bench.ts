import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { InjectPluginContext, InjectPluginRepository, Plugin, PluginModule, type PluginContext } from '../lib/index.js';
import { comparePairAsync, ratioFigure, type Figure, type PairOptions } from './harness.js';

/**
 * The resources rows on PostgreSQL (PG_URL): a plugin's raw SQL and repository, both under the
 * plugin's own role, against the same statement sent by the application's DataSource.
 */

const QUERY: PairOptions = { loops: 100, samples: 41, warmupSamples: 8 };
const ROWS = 1_000;

@Entity('rows')
class PgPluginRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') label!: string;
}

@Entity('plain_rows')
class PgPlainRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') label!: string;
}

@Plugin({ name: 'bench-store', version: '1.0.0', entities: [PgPluginRow], allowedTables: ['rows'] })
class PgBenchStorePlugin {
  constructor(
    @InjectPluginRepository(PgPluginRow) readonly rows: Repository<PgPluginRow>,
    @InjectPluginContext() readonly ctx: PluginContext,
  ) {}
}

export async function runResourcesPostgresBench(): Promise<Figure[]> {
  const adminUrl = process.env.PG_URL;
  if (!adminUrl) return [{ name: 'resources on PostgreSQL (skipped: PG_URL is not set)', detail: 'needs PostgreSQL', value: 0, unit: '×' }];
  const database = `np_bench_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: url.toString(), entities: [PgPlainRow], synchronize: true }),
      PluginModule.forRoot({ plugins: [PgBenchStorePlugin] }),
    ],
  })
  class PostgresResourcesBenchModule {}
  const app = await NestFactory.createApplicationContext(PostgresResourcesBenchModule, { logger: false });
  try {
    await app.init();
    const dataSource = app.get(DataSource);
    const plugin = app.get(PgBenchStorePlugin);
    const labels = Array.from({ length: ROWS }, (_, i) => ({ label: `row ${i}` }));
    await dataSource.getRepository(PgPlainRow).save(labels);
    await plugin.rows.save(labels);

    let next = 0;
    const nextId = () => (next = (next % ROWS) + 1);
    const findLoop = (repository: Repository<{ id: number; label: string }>) => async (loops: number) => {
      let found = 0;
      for (let i = 0; i < loops; i++) found += (await repository.findOneBy({ id: nextId() }))?.id ?? 0;
      return found;
    };
    // The same table on both sides: the plain repository is the application's own, on the plugin's table.
    const find = await comparePairAsync(findLoop(dataSource.getRepository(PgPluginRow)), findLoop(plugin.rows), QUERY);

    const rewrittenSql = 'SELECT id, label FROM "bench-store_rows" WHERE id = $1';
    const rawQuery = async (loops: number) => {
      let found = 0;
      for (let i = 0; i < loops; i++) found += (await dataSource.query(rewrittenSql, [nextId()]))[0].id;
      return found;
    };
    const guardedQuery = async (loops: number) => {
      let found = 0;
      for (let i = 0; i < loops; i++) found += (await plugin.ctx.database.executeQuery('SELECT id, label FROM rows WHERE id = $1', [nextId()]))[0].id;
      return found;
    };
    const query = await comparePairAsync(rawQuery, guardedQuery, QUERY);
    return [
      ratioFigure(
        'PostgreSQL: ctx.database.executeQuery of a repeated SELECT (under the plugin role) vs dataSource.query of the rewritten SQL',
        query.subject,
        query.baseline,
        'ns/op',
        1.3,
      ),
      ratioFigure('PostgreSQL: plugin repository findOneBy({ id }) (under the plugin role) vs plain TypeORM repository, same table', find.subject, find.baseline, 'ns/op', 1.2),
    ];
  } finally {
    await app.close();
    await admin(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    // Roles are cluster-wide: the plugin's goes with the database (its comment names it).
    await admin(
      adminUrl,
      `DO $$ DECLARE r text; BEGIN FOR r IN SELECT rolname FROM pg_roles JOIN pg_shdescription ON objoid = pg_roles.oid
       WHERE description LIKE '%in database "${database}"' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP; END $$`,
    );
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
