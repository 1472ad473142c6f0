import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { SqlTooLargeError } from '../../../lib/errors/index.js';
import type { SqlEngine } from '../../../lib/resources/engines/sql-engine.interface.js';

/** An engine whose statements each take 5 ms, counting how many run at once. */
let running = 0;
let mostAtOnce = 0;
const engine: SqlEngine = {
  run: jest.fn(
    () =>
      new Promise((resolve) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        setTimeout(() => {
          running--;
          resolve([]);
        }, 5);
      }),
  ) as SqlEngine['run'],
  close: jest.fn(),
};
jest.unstable_mockModule('../../../lib/resources/engines/create-sql-engine.js', () => ({ createSqlEngine: () => engine }));
const { PluginResources } = await import('../../../lib/resources/plugin-resources.js');
type Options = ConstructorParameters<typeof PluginResources>[0];

const sqlite = { options: { type: 'better-sqlite3' } } as unknown as DataSource;
const metadata = { name: 'big', version: '1.0.0', allowedTables: ['notes'] };

function databaseOf(options: Options, dataSource: DataSource = sqlite) {
  const resources = new PluginResources(options, dataSource);
  return resources.databaseFor(resources.scopeFor(metadata), [], () => undefined);
}

beforeEach(() => {
  (engine.run as jest.Mock).mockClear();
  mostAtOnce = 0;
});

describe('maxSqlBytes and maxSqlParamBytes', () => {
  it('refuses a statement above maxSqlBytes, counted in UTF-8 bytes, before the guard or the engine sees it', async () => {
    const database = databaseOf({ maxSqlBytes: 100 });
    const sql = `SELECT id FROM notes WHERE x = '${'€'.repeat(30)}'`;
    await expect(database.executeQuery(sql)).rejects.toThrow(new SqlTooLargeError('big', 'statement', Buffer.byteLength(sql), 100));
    await expect(database.executeQuery(sql)).rejects.toMatchObject({
      code: 'PLUGIN_SQL_TOO_LARGE',
      message: `Plugin "big" sent a statement of ${Buffer.byteLength(sql)} bytes; the limit is 100 (maxSqlBytes)`,
    });
    expect(engine.run).not.toHaveBeenCalled();
  });

  it('lets a statement of exactly maxSqlBytes through', async () => {
    const sql = `SELECT id FROM notes WHERE x = 'é'`;
    await expect(databaseOf({ maxSqlBytes: Buffer.byteLength(sql) }).executeQuery(sql)).resolves.toEqual([]);
  });

  it('sums the parameters: strings in UTF-8, binary values as they are, objects as their JSON, 8 bytes for anything else', async () => {
    const database = databaseOf({ maxSqlParamBytes: 40 });
    const sql = 'SELECT id FROM notes WHERE id = ? AND a = ? AND b = ? AND c = ?';
    await expect(database.executeQuery(sql, ['ü'.repeat(10), Buffer.alloc(10), { k: 'vvvvvvvvv' }, 1])).rejects.toThrow(
      'Plugin "big" sent parameters of 55 bytes; the limit is 40 (maxSqlParamBytes)',
    );
    await expect(database.executeQuery(sql, ['ü'.repeat(5), new Uint8Array(10), null, 2n])).resolves.toEqual([]);
  });

  it('defaults to 65,536 and 1,048,576 bytes', async () => {
    const database = databaseOf({});
    await expect(database.executeQuery(`SELECT '${'x'.repeat(65_536)}' AS x FROM notes`)).rejects.toThrow('the limit is 65536 (maxSqlBytes)');
    await expect(database.executeQuery('SELECT length(?) AS n FROM notes', ['x'.repeat(1_048_577)])).rejects.toThrow(
      'Plugin "big" sent parameters of 1048577 bytes; the limit is 1048576 (maxSqlParamBytes)',
    );
  });

  it.each([
    ['maxSqlBytes', 0],
    ['maxSqlParamBytes', 1.5],
    ['sqlConcurrency', -1],
    ['maxSqlBytes', Number.NaN],
  ] as const)('refuses %s = %s at start', (option, value) => {
    expect(() => new PluginResources({ [option]: value }, sqlite)).toThrow(`${option} must be a positive integer, got ${value}`);
  });
});

describe('sqlConcurrency', () => {
  const postgres = (extra: object = {}) => ({ options: { type: 'postgres', ...extra } }) as unknown as DataSource;

  async function mostAtOnceOf(database: ReturnType<typeof databaseOf>, statements: number): Promise<number> {
    mostAtOnce = 0;
    await Promise.all(Array.from({ length: statements }, (_, index) => database.executeQuery(`SELECT id FROM notes WHERE id = ${index}`)));
    return mostAtOnce;
  }

  it('defaults to a quarter of the PostgreSQL pool: 2 of node-postgres’ 10, 3 of poolSize 12, 5 of extra.max 20, at least 1', async () => {
    expect(await mostAtOnceOf(databaseOf({}, postgres()), 12)).toBe(2);
    expect(await mostAtOnceOf(databaseOf({}, postgres({ poolSize: 12 })), 12)).toBe(3);
    expect(await mostAtOnceOf(databaseOf({}, postgres({ poolSize: 12, extra: { max: 20 } })), 12)).toBe(5);
    expect(await mostAtOnceOf(databaseOf({}, postgres({ poolSize: 2 })), 12)).toBe(1);
  });

  it('does not cap SQLite unless asked, and caps it when asked', async () => {
    expect(await mostAtOnceOf(databaseOf({}), 12)).toBe(12);
    expect(await mostAtOnceOf(databaseOf({ sqlConcurrency: 3 }), 12)).toBe(3);
  });

  it('runs waiting statements in arrival order, and a refused one frees its turn', async () => {
    const database = databaseOf({ sqlConcurrency: 1 }, postgres());
    const order: string[] = [];
    const refused = database.executeQuery('DROP TABLE notes').catch(() => order.push('refused'));
    const first = database.executeQuery('SELECT 1 AS n FROM notes').then(() => order.push('first'));
    const second = database.executeQuery('SELECT 2 AS n FROM notes').then(() => order.push('second'));
    await Promise.all([refused, first, second]);
    expect(order).toEqual(['refused', 'first', 'second']);
  });
});
