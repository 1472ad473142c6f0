import { SqlNotAllowedError, SqlTimeoutError, TableAccessDeniedError } from '../../../../lib/errors/index.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { SqlGuard, type SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';

const policy = new ResourcePolicy('long', { name: 'long', allowedTables: ['notes'] });
const inList = (values: number) => Array.from({ length: values }, (_, index) => index).join(', ');

describe.each(['sqlite', 'postgresql'] as SqlDialect[])('SqlGuard.prepareLong, %s', (dialect) => {
  let guard: SqlGuard;
  beforeAll(async () => {
    guard = await SqlGuard.open(dialect);
  });
  afterAll(() => guard.close());

  it('prepares a long statement as the synchronous path does, as written', async () => {
    const sql = `SELECT id FROM notes WHERE id IN (${inList(2_000)})`;
    const expected = (await SqlGuard.open(dialect)).prepare(sql, policy);
    await expect(guard.prepareLong(sql, policy, [], 5_000)).resolves.toEqual(expected);
    expect(expected).toEqual([{ sql: `SELECT id FROM "long_notes" WHERE id IN (${inList(2_000)})`, params: [] }]);
  });

  it('refuses a long statement that names another table, or that it cannot parse, as the synchronous path does', async () => {
    await expect(guard.prepareLong(`SELECT id FROM secrets WHERE id IN (${inList(2_000)})`, policy, [], 5_000)).rejects.toThrow(TableAccessDeniedError);
    const unparseable = guard.prepareLong(`SELECT id FROM notes WHERE id IN (${inList(2_000)}) AND (`, policy, [], 5_000);
    await expect(unparseable).rejects.toThrow(SqlNotAllowedError);
    await expect(unparseable).rejects.toThrow(/cannot parse it: unexpected end of input/);
  });
});

describe('SqlGuard.prepareLong, postgresql (parsing in a worker thread)', () => {
  it('stops a parse that outlives the statement’s timeout', async () => {
    const slow = await SqlGuard.open('postgresql');
    try {
      await expect(slow.prepareLong(`SELECT id FROM notes WHERE id IN (${inList(3_000)})`, policy, [], 1)).rejects.toThrow(new SqlTimeoutError('long', 1));
    } finally {
      slow.close();
    }
  });
});
