import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { compiledFixture, loadCompiledLibrary, type CompiledLibrary } from '../../isolation/support/isolation-harness.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../../support/test-databases.js';

/**
 * The name check is the host's, before the plugin's mode matters: the impostor of the report is
 * refused in every mode, never starts (no canary file), and the table its cut name would hit
 * keeps its row.
 */
const PREFIX = 'x'.repeat(63);
const EVIL = `${PREFIX}-evil`;

describe.each(databaseKinds)('red team: a truncated table name in every mode, on %s', (kind) => {
  let lib: CompiledLibrary;
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let scratch: string;

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    database = await createTestDatabase(kind);
    scratch = await mkdtemp(join(tmpdir(), 'engine-names-'));
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it.each(['inline', 'thread', 'process'] as const)('refuses the impostor in mode %s', async (mode) => {
    const canaryFile = join(scratch, `${mode}.started`);
    process.env.NAMES_CANARY_FILE = canaryFile;
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...database.connection, synchronize: true } as never),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({ plugins: [], isolation: { [EVIL]: mode } }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      dataSource = app.get(DataSource);
      await dataSource.query(`CREATE TABLE IF NOT EXISTS "${PREFIX}" (id int, body varchar(40))`);
      await dataSource.query(`DELETE FROM "${PREFIX}"`);
      await dataSource.query(`INSERT INTO "${PREFIX}" (id, body) VALUES (1, 'bank canary')`);
      await expect(app.get(lib.PluginManager).load(compiledFixture('names/long-name.plugin.js'))).rejects.toThrow(
        `table "loot" is 73 bytes as "${EVIL}_loot"; PostgreSQL allows 63`,
      );
      expect(existsSync(canaryFile)).toBe(false);
      expect(await dataSource.query(`SELECT body FROM "${PREFIX}"`)).toEqual([{ body: 'bank canary' }]);
    } finally {
      await app.close();
      delete process.env.NAMES_CANARY_FILE;
    }
  }, 60_000);
});
