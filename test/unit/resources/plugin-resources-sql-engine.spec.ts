import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { SqlEngine } from '../../../lib/resources/engines/sql-engine.interface.js';

/** The SQL engines import TypeORM's values: PluginResources loads one with the first raw SQL statement, not before. */
const engine = { run: jest.fn(async () => [{ id: 1 }]) as SqlEngine['run'], close: jest.fn() };
const createSqlEngine = jest.fn((): SqlEngine => engine);
jest.unstable_mockModule('../../../lib/resources/engines/create-sql-engine.js', () => ({ createSqlEngine }));
const { PluginResources } = await import('../../../lib/resources/plugin-resources.js');

describe('PluginResources SQL engine loading', () => {
  const dataSource = { options: { type: 'better-sqlite3' } } as unknown as DataSource;
  const metadata = { name: 'my-plugin', version: '1.0.0', allowedTables: ['users'] };

  beforeEach(() => {
    createSqlEngine.mockClear();
    engine.close.mockClear();
  });

  function databaseOf(resources: InstanceType<typeof PluginResources>) {
    return resources.databaseFor(resources.scopeFor(metadata), [], () => undefined);
  }

  it('creates no engine until a plugin runs raw SQL, and none to close at shutdown', async () => {
    const resources = new PluginResources({}, dataSource);
    databaseOf(resources);
    await resources.onApplicationShutdown();
    expect(createSqlEngine).not.toHaveBeenCalled();
  });

  it('creates one engine for the application on the first statement, and closes it at shutdown', async () => {
    const resources = new PluginResources({}, dataSource);
    await expect(databaseOf(resources).executeQuery('SELECT id FROM users')).resolves.toEqual([{ id: 1 }]);
    await databaseOf(resources).executeQuery('SELECT id FROM users WHERE id = ?', [1]);
    expect(createSqlEngine).toHaveBeenCalledTimes(1);
    expect(createSqlEngine).toHaveBeenCalledWith(dataSource, 'sqlite');
    await resources.onApplicationShutdown();
    expect(engine.close).toHaveBeenCalledTimes(1);
  });
});
