import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InjectPluginContext, Plugin, PluginModule, SqlNotAllowedError, TableAccessDeniedError, type PluginContext } from 'nestjs-plugins';
import type { SqlDialect } from '../../../lib/resources/sql/sql-guard.js';
import { corpusSchema, hostileStatements, legitimateStatements } from '../../unit/resources/sql/sql-corpus.js';
import { bootApp } from '../support/boot-app.js';
import { POSTGRES_SKIPPED, createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../support/test-databases.js';

/** The corpus's plugin: `audit` is the host's shared table, mapped verbatim. */
@Plugin({ name: 'my-plugin', version: '1.0.0', allowedTables: ['users', 'orders', 'audit'] })
class CorpusPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

const DIALECT: Record<DatabaseKind, SqlDialect> = { sqlite: 'sqlite', postgres: 'postgresql' };

/**
 * The SQL guard's corpus through the whole path a plugin uses, on real databases: every
 * hostile statement is refused before it reaches the database, every legitimate one runs.
 */
describe.each(databaseKinds)('raw SQL corpus through ctx.database on %s', (kind) => {
  const dialect = DIALECT[kind];
  let database: TestDatabase;
  let app: INestApplication;
  let plugin: CorpusPlugin;
  let statementsRun: string[];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection }),
      PluginModule.forRoot({ plugins: [CorpusPlugin], overrides: { 'my-plugin': { tableNameMap: { audit: 'shared_audit' } } } }),
    ]);
    const dataSource = app.get(DataSource);
    for (const statement of corpusSchema[dialect]) await dataSource.query(statement);
    plugin = app.get(CorpusPlugin);
    // Every statement TypeORM sends (the engines run plugin SQL through its query runners and
    // log each statement there), so a refusal can be shown to have sent nothing.
    const logQuery = dataSource.logger.logQuery.bind(dataSource.logger);
    dataSource.logger.logQuery = (sql, ...rest) => {
      statementsRun.push(sql);
      return logQuery(sql, ...rest);
    };
  });
  beforeEach(() => {
    statementsRun = [];
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const hostile = hostileStatements.filter((statement) => statement.dialects.includes(dialect));
  it.each(hostile.map((statement) => [statement.why, statement] as const))('refuses %s', async (_why, statement) => {
    const refusal = plugin.ctx.database.executeQuery(statement.sql);
    await expect(refusal).rejects.toThrow(statement.error === 'table' ? TableAccessDeniedError : SqlNotAllowedError);
    await expect(refusal).rejects.toThrow('Plugin "my-plugin"');
    expect(statementsRun).toEqual([]);
  });

  const legitimate = legitimateStatements.filter((statement) => statement.dialects.includes(dialect));
  // Which real tables a statement is rewritten to is the guard's unit suite's matter; here it must run.
  it.each(legitimate.map((statement) => [statement.sql, statement] as const))('runs %s', async (_sql, statement) => {
    await expect(plugin.ctx.database.executeQuery(statement.sql, statement.params)).resolves.not.toThrow();
  });
});

if (!databaseKinds.includes('postgres')) {
  describe.skip(POSTGRES_SKIPPED, () => {
    it('runs the raw SQL corpus on PostgreSQL', () => undefined);
  });
}
