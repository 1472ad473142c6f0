import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { PluginManager, PluginModule, PluginRegistry } from '../lib/index.js';
import { SharedDataService } from '../lib/services/shared-data/shared-data.service.js';
import { sharedDataStatements } from '../lib/services/shared-data/shared-data.statements.js';
import { comparePairAsync, formatNumber, median, ratioFigure, type Figure } from './harness.js';

/**
 * Cluster mode on PostgreSQL (PG_URL): how long a load on one instance takes to run on the
 * others (three Nest applications in this process, woken by LISTEN/NOTIFY), and what a shared
 * data write costs through the library against the same upsert sent with `pg` directly.
 */

const OPERATIONS = 30;
const PLUGIN_DIR = fileURLToPath(new URL('./cluster-plugins/', import.meta.url));

export async function runClusterStateBench(): Promise<Figure[]> {
  const adminUrl = process.env.PG_URL;
  if (!adminUrl) return [{ name: 'cluster state (skipped: PG_URL is not set)', detail: 'needs PostgreSQL', value: 0, unit: 'ms' }];
  const database = `np_bench_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const apps: INestApplicationContext[] = [];
  try {
    for (const nodeId of ['bench-a', 'bench-b', 'bench-c']) apps.push(await startInstance(url.toString(), nodeId));
    return [...(await propagation(apps)), await sharedDataWrite(apps[0]!, url.toString())];
  } finally {
    for (const app of apps) await app.close();
    rmSync(PLUGIN_DIR, { recursive: true, force: true });
    await admin(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

async function startInstance(url: string, nodeId: string): Promise<INestApplicationContext> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url, synchronize: true }),
      PluginModule.forRoot({ plugins: [], cluster: { nodeId, notify: 'postgres', heartbeatIntervalMs: 1_000 } }),
    ],
  })
  class ClusterBenchModule {}
  const app = await NestFactory.createApplicationContext(ClusterBenchModule, { logger: false });
  await app.init();
  return app;
}

/** Load (then unload) on A; the time until B and C run it, split into A's own call and what follows. */
async function propagation(apps: INestApplicationContext[]): Promise<Figure[]> {
  mkdirSync(PLUGIN_DIR, { recursive: true });
  const file = join(PLUGIN_DIR, 'pulse.plugin.js');
  writeFileSync(
    file,
    `import { Plugin } from '../../lib/index.js';\nclass Pulse {}\nPlugin({ name: 'pulse', version: '1.0.0' })(Pulse);\nexport default Pulse;\n`,
  );
  const [origin, ...others] = apps.map((app) => ({ manager: app.get(PluginManager), registry: app.get(PluginRegistry) }));
  const total: number[] = [];
  const local: number[] = [];
  for (let operation = 0; operation < OPERATIONS; operation++) {
    const loading = operation % 2 === 0;
    const startedAt = performance.now();
    if (loading) await origin!.manager.load(file);
    else await origin!.manager.unload('pulse');
    local.push(performance.now() - startedAt);
    while (!others.every(({ registry }) => registry.list().some((plugin) => plugin.name === 'pulse' && plugin.state === 'active') === loading)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    total.push(performance.now() - startedAt);
  }
  const sorted = [...total].sort((a, b) => a - b);
  const p99 = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  const localMedian = median(local);
  return [
    {
      name: 'cluster: a load/unload on A running on B and C, PostgreSQL LISTEN/NOTIFY, p50',
      detail: `${OPERATIONS} operations; A's own call (local load + desired-state write + NOTIFY) median ${formatNumber(localMedian)} ms`,
      value: median(total),
      unit: 'ms',
    },
    {
      name: 'cluster: the same, p99',
      detail: `max ${formatNumber(sorted[sorted.length - 1]!)} ms`,
      value: p99,
      unit: 'ms',
      target: { comparison: '≤', limit: 2_000 },
    },
  ];
}

/** `SharedDataService.set` (cluster mode, PostgreSQL) vs its upsert sent with a `pg` client. */
async function sharedDataWrite(app: INestApplicationContext, url: string): Promise<Figure> {
  const service = app.get(SharedDataService);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columns = { tenantId: '"tenant_id"', namespace: '"namespace"', key: '"key"', value: '"value"', ownerId: '"owner_id"', expiresAt: '"expires_at"', updatedAt: '"updated_at"' };
  const { upsert } = sharedDataStatements('"plugin_shared_data"', columns, (index) => `$${index + 1}`);
  let sequence = 0;
  const viaLibrary = async (loops: number) => {
    for (let i = 0; i < loops; i++) await service.set('bench', `lib-${sequence++ % 500}`, { n: i }, { ownerId: 'bench' });
    return loops;
  };
  const viaPg = async (loops: number) => {
    for (let i = 0; i < loops; i++) {
      const now = Date.now();
      await client.query(upsert, ['', 'bench', `pg-${sequence++ % 500}`, JSON.stringify({ n: i }), 'bench', null, now, now]);
    }
    return loops;
  };
  try {
    const write = await comparePairAsync(viaPg, viaLibrary, { loops: 50, samples: 21, warmupSamples: 4 });
    return ratioFigure('cluster: SharedDataService.set on PostgreSQL vs the same INSERT … ON CONFLICT with pg', write.subject, write.baseline, 'ns/op', 1.3);
  } finally {
    await client.end();
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
