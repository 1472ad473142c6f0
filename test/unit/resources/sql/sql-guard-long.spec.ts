import { SqlNotAllowedError, TableAccessDeniedError } from '../../../../lib/errors/index.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { SqlGuard, type SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';

const policy = new ResourcePolicy('long', { name: 'long', allowedTables: ['notes'] });
const inList = (values: number) => Array.from({ length: values }, (_, index) => index).join(', ');

describe.each(['sqlite', 'postgresql'] as SqlDialect[])('SqlGuard, a long statement (%s)', (dialect) => {
  let guard: SqlGuard;
  beforeAll(async () => {
    guard = await SqlGuard.open(dialect);
  });

  it('is analysed as written, its literals left in place', () => {
    const [statement] = guard.prepare(`SELECT id FROM notes WHERE id IN (${inList(2_000)})`, policy);
    expect(statement!.sql).toBe(`SELECT id FROM "long_notes" WHERE id IN (${inList(2_000)})`);
    expect(statement!.params).toEqual([]);
  });

  it('is refused when it names another table, or cannot be read', () => {
    expect(() => guard.prepare(`SELECT id FROM secrets WHERE id IN (${inList(2_000)})`, policy)).toThrow(TableAccessDeniedError);
    const unreadable = () => guard.prepare(`SELECT id FROM notes WHERE id IN (${inList(2_000)}) AND (`, policy);
    expect(unreadable).toThrow(SqlNotAllowedError);
    expect(unreadable).toThrow(/cannot parse it: unexpected end of input/);
  });
});
