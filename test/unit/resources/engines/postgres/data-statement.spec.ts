import { isDataStatement } from '../../../../../lib/resources/engines/postgres/data-statement.js';

describe('isDataStatement', () => {
  it.each([
    'SELECT 1',
    'select * from t',
    '  (SELECT 1) UNION (SELECT 2)',
    'WITH x AS (SELECT 1) SELECT * FROM x',
    'INSERT INTO t VALUES (1)',
    'update t set a = 1',
    'DELETE FROM t',
    'VALUES (1)',
    'TABLE t',
    '-- why\nSELECT 1',
    '/* a /* nested */ comment */ SELECT 1',
  ])('accepts %j', (sql) => {
    expect(isDataStatement(sql)).toBe(true);
  });

  it.each([
    'COMMIT',
    'RESET ROLE',
    'SET ROLE postgres',
    'SET SESSION AUTHORIZATION postgres',
    'ROLLBACK',
    'COPY t TO PROGRAM $$id$$',
    'DO $$ BEGIN END $$',
    'CALL p()',
    'selectx 1',
    '/* /* */ select */ COMMIT',
    '/* never closed SELECT 1',
    '-- only a comment SELECT 1',
    '\u00a0SELECT 1',
    '',
  ])('refuses %j', (sql) => {
    expect(isDataStatement(sql)).toBe(false);
  });
});
