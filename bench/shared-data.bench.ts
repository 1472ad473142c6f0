import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PluginModule } from '../lib/index.js';
import { SharedDataService } from '../lib/services/shared-data/shared-data.service.js';
import { comparePairAsync, formatNumber, ratioFigure, type Figure, type PairOptions } from './harness.js';

/** `SharedDataService.get` of one hot key on a SQLite file, and what it adds to the bare query. */

const GET: PairOptions = { loops: 500, samples: 61, warmupSamples: 10 };
const HOT_VALUE = { contactCount: 1250, lastSync: '2026-01-22T16:00:00Z', regions: ['eu', 'us'] };
/** The statement `get` runs, as the service writes it for SQLite. */
const GET_SQL =
  'SELECT "value" AS "value" FROM "plugin_shared_data" WHERE "tenant_id" = ? AND "namespace" = ? AND "key" = ? ' +
  'AND ("expires_at" IS NULL OR "expires_at" > ?)';

export async function runSharedDataBench(): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-shared-data-'));
  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: join(directory, 'bench.sqlite'), synchronize: true }),
      PluginModule.forRoot({ plugins: [] }),
    ],
    providers: [SharedDataService],
  })
  class SharedDataBenchModule {}
  const app = await NestFactory.createApplicationContext(SharedDataBenchModule, { logger: false });
  await app.init();
  const service = app.get(SharedDataService);
  const dataSource = app.get(DataSource);
  await service.set('crm.cache', 'summary', HOT_VALUE, { ownerId: 'crm', ttl: 3600 });

  const serviceGet = async (loops: number) => {
    let total = 0;
    for (let i = 0; i < loops; i++) total += (await service.get<typeof HOT_VALUE>('crm.cache', 'summary'))!.contactCount;
    return total;
  };
  const bareQuery = async (loops: number) => {
    let total = 0;
    for (let i = 0; i < loops; i++) total += (await dataSource.query(GET_SQL, ['', 'crm.cache', 'summary', Date.now()])).length;
    return total;
  };
  const get = await comparePairAsync(bareQuery, serviceGet, GET);

  await app.close();
  rmSync(directory, { recursive: true, force: true });
  const microsPerGet = get.subject / 1e3;
  return [
    {
      name: 'SharedDataService.get of a hot key, SQLite file (info)',
      detail: `${formatNumber(1e6 / microsPerGet)} ops/s`,
      value: microsPerGet,
      unit: 'µs',
    },
    ratioFigure('the same get vs dataSource.query of its SELECT (no validation, tenant or JSON.parse)', get.subject, get.baseline, 'ns/op'),
  ];
}
