import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { InjectPluginContext, InjectPluginRepository, Plugin, PluginModule, type PluginContext } from '../lib/index.js';
import { ResourcePolicy } from '../lib/resources/resource-policy.js';
import { SqlGuard } from '../lib/resources/sql/sql-guard.js';
import { runResourcesPostgresBench } from './resources-postgres.bench.js';
import { comparePair, comparePairAsync, ratioFigure, type Figure, type PairOptions } from './harness.js';
import { sqlAnalysisFigures } from './sql-analysis.js';

/** Scoped resources against the plain thing on the same machinery: TypeORM repository, dataSource.query, EventEmitter2. */

const QUERY: PairOptions = { loops: 200, samples: 61, warmupSamples: 10 };
const SEND: PairOptions = { loops: 20_000, samples: 101, warmupSamples: 30 };
const ROWS = 1_000;
/** Distinct literal values, so that every text the guard sees is new. */
const LITERAL_VALUES = 2_000;

@Entity('rows')
class PluginRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') label!: string;
}

@Entity('plain_rows')
class PlainRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') label!: string;
}

@Plugin({ name: 'bench-store', version: '1.0.0', entities: [PluginRow], allowedTables: ['rows'], allowedTopics: ['ticks'] })
class BenchStorePlugin {
  constructor(
    @InjectPluginRepository(PluginRow) readonly rows: Repository<PluginRow>,
    @InjectPluginContext() readonly ctx: PluginContext,
  ) {}
}

export async function runResourcesBench(): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-resources-'));
  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: join(directory, 'bench.sqlite'), entities: [PlainRow], synchronize: true }),
      PluginModule.forRoot({ plugins: [BenchStorePlugin] }),
    ],
  })
  class ResourcesBenchModule {}
  const app = await NestFactory.createApplicationContext(ResourcesBenchModule, { logger: false });
  await app.init();
  const dataSource = app.get(DataSource);
  const plugin = app.get(BenchStorePlugin);
  const plain = dataSource.getRepository(PlainRow);
  const labels = Array.from({ length: ROWS }, (_, i) => ({ label: `row ${i}` }));
  await plain.save(labels);
  await plugin.rows.save(labels);

  let next = 0;
  const nextId = () => (next = (next % ROWS) + 1);
  const findLoop = (repository: Repository<{ id: number; label: string }>) => async (loops: number) => {
    let found = 0;
    for (let i = 0; i < loops; i++) found += (await repository.findOneBy({ id: nextId() }))?.id ?? 0;
    return found;
  };
  const find = await comparePairAsync(findLoop(plain), findLoop(plugin.rows), QUERY);

  const pluginSql = 'SELECT id, label FROM rows WHERE id = ?';
  const rewrittenSql = 'SELECT id, label FROM "bench-store_rows" WHERE id = ?';
  const rawQuery = async (loops: number) => {
    let found = 0;
    for (let i = 0; i < loops; i++) found += (await dataSource.query(rewrittenSql, [nextId()]))[0].id;
    return found;
  };
  const guardedQuery = async (loops: number) => {
    let found = 0;
    for (let i = 0; i < loops; i++) found += (await plugin.ctx.database.executeQuery(pluginSql, [nextId()]))[0].id;
    return found;
  };
  const query = await comparePairAsync(rawQuery, guardedQuery, QUERY);

  // A 2-table join with its values written inline, each call a text not seen before (2,000 values in turn).
  const joinText = (value: number) =>
    `SELECT r.id, r.label FROM rows r JOIN rows o ON o.id = r.id WHERE r.id = ${(value % ROWS) + 1} AND r.label <> 'row ${value}'`;
  const rewrittenJoin = (value: number) => ({
    sql: 'SELECT r.id, r.label FROM "bench-store_rows" r JOIN "bench-store_rows" o ON o.id = r.id WHERE r.id = ? AND r.label <> ?',
    params: [BigInt((value % ROWS) + 1), `row ${value}`],
  });
  let literal = 0;
  const nextLiteral = () => (literal = (literal + 1) % LITERAL_VALUES);
  const rawJoin = async (loops: number) => {
    let found = 0;
    for (let i = 0; i < loops; i++) {
      const { sql, params } = rewrittenJoin(nextLiteral());
      found += (await dataSource.query(sql, params)).length;
    }
    return found;
  };
  const guardedJoin = async (loops: number) => {
    let found = 0;
    for (let i = 0; i < loops; i++) found += (await plugin.ctx.database.executeQuery(joinText(nextLiteral()))).length;
    return found;
  };
  const [asRun] = new SqlGuard('sqlite').prepare(joinText(7), new ResourcePolicy('bench-store', { name: 'bench-store', allowedTables: ['rows'] }));
  if (asRun?.sql !== rewrittenJoin(7).sql) throw new Error(`the baseline is not the SQL the guard runs: ${asRun?.sql}`);
  const inlineLiterals = await comparePairAsync(rawJoin, guardedJoin, QUERY);

  // The strict baseline is a plain EventEmitter2; the application's bus (wildcards on) is shown for information.
  const plainEmitter = new EventEmitter2();
  const wildcardEmitter = new EventEmitter2({ wildcard: true, delimiter: ':' });
  let received = 0;
  const count = (message: { value: unknown }) => {
    received += message.value as number;
  };
  plainEmitter.on('bench-store_ticks', count);
  wildcardEmitter.on('bench-store_ticks', count);
  await plugin.ctx.topics.subscribe('ticks', count);
  const emitLoop = (emitter: EventEmitter2) => (loops: number) => {
    for (let i = 0; i < loops; i++) emitter.emit('bench-store_ticks', { value: 1 });
    return received;
  };
  const sendLoop = (loops: number) => {
    for (let i = 0; i < loops; i++) void plugin.ctx.topics.send('ticks', [{ value: 1 }]);
    return received;
  };
  const send = comparePair(emitLoop(plainEmitter), sendLoop, SEND);
  const sendVsWildcard = comparePair(emitLoop(wildcardEmitter), sendLoop, SEND);

  await app.close();
  rmSync(directory, { recursive: true, force: true });
  const analysis = await sqlAnalysisFigures();
  const postgres = await runResourcesPostgresBench();
  return [
    ratioFigure('plugin repository findOneBy({ id }) vs plain TypeORM repository, same SQLite file', find.subject, find.baseline, 'ns/op', 1.05),
    ratioFigure('ctx.database.executeQuery of a repeated SELECT vs dataSource.query of the rewritten SQL', query.subject, query.baseline, 'ns/op', 1.1),
    ratioFigure(
      `ctx.database.executeQuery of a 2-table join with inline literals (${LITERAL_VALUES.toLocaleString('en')} distinct values) vs dataSource.query of the same statement as SQLite runs it`,
      inlineLiterals.subject,
      inlineLiterals.baseline,
      'ns/op',
      2,
    ),
    ratioFigure("ctx.topics.send('ticks', [message]) in-process vs a plain EventEmitter2.emit, one subscriber", send.subject, send.baseline, 'ns/op', 1.5),
    ratioFigure('the same send vs an EventEmitter2 with wildcards on (as the app bus is configured)', sendVsWildcard.subject, sendVsWildcard.baseline, 'ns/op'),
    ...analysis,
    ...postgres,
  ];
}
