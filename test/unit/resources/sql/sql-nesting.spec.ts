import { SqlNotAllowedError } from '../../../../lib/errors/index.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { SqlGuard, type SqlDialect } from '../../../../lib/resources/sql/sql-guard.js';
import { loadPostgresParser } from '../../../../lib/resources/sql/postgres/load-postgres-parser.js';

const policy = new ResourcePolicy('deep', { name: 'deep', allowedTables: ['notes'] });
const TOO_DEEP = 'Plugin "deep" may not run this SQL: the statement nests deeper than 1000 levels';

// PostgreSQL guards need the parser, which a host loads with SqlGuard.open.
beforeAll(() => loadPostgresParser());

describe.each(['sqlite', 'postgresql'] as SqlDialect[])('statements nested too deep, %s', (dialect) => {
  const guard = new SqlGuard(dialect);
  const prepare = (sql: string) => () => guard.prepare(sql, policy);

  it.each([
    ['a 10,000-term sum', `SELECT ${Array(10_000).fill('1').join(' + ')} AS n FROM notes`],
    ['a 3,000-term concatenation of strings', `SELECT ${Array(3_000).fill(`'a'`).join(' || ')} AS s FROM notes`],
    ['a 2,500-term OR of column tests', `SELECT id FROM notes WHERE ${Array.from({ length: 2_500 }, (_, index) => `id = ${index}`).join(' OR ')}`],
    ['parentheses 5,000 deep', `SELECT ${'('.repeat(5_000)}1${')'.repeat(5_000)} AS n FROM notes`],
    ['sub-queries 1,200 deep', `SELECT ${'(SELECT '.repeat(1_200)}1${')'.repeat(1_200)} AS n FROM notes`],
  ])('refuses %s with a library error, not a stack overflow', (_title, sql) => {
    expect(prepare(sql)).toThrow(new SqlNotAllowedError('deep', 'the statement nests deeper than 1000 levels'));
    expect(prepare(sql)).toThrow(TOO_DEEP);
  });

  it.each([
    ['a 400-term OR', `SELECT id FROM notes WHERE ${Array.from({ length: 400 }, (_, index) => `id = ${index}`).join(' OR ')}`],
    ['a CASE of 2,000 branches', `SELECT CASE ${Array.from({ length: 2_000 }, (_, index) => `WHEN id = ${index} THEN 'v${index}'`).join(' ')} END AS v FROM notes`],
    ['an IN list of 10,000 values', `SELECT id FROM notes WHERE id IN (${Array.from({ length: 10_000 }, (_, index) => index).join(', ')})`],
  ])('lets %s through', (_title, sql) => {
    expect(prepare(sql)).not.toThrow();
  });
});
