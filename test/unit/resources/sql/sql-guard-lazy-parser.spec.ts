import type { Parser } from 'node-sql-parser';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { loadSqlParser } from '../../../../lib/resources/sql/load-sql-parser.js';
import { SqlGuard } from '../../../../lib/resources/sql/sql-guard.js';

/** node-sql-parser is heavy to load: a guard loads it on the first statement, once. */
describe('SqlGuard parser loading', () => {
  const policy = new ResourcePolicy('my-plugin', { name: 'my-plugin', allowedTables: ['users'] }, {});

  function countingLoader(): { load: () => Parser; calls: () => number } {
    let calls = 0;
    return {
      load: () => {
        calls++;
        return loadSqlParser();
      },
      calls: () => calls,
    };
  }

  it('does not load the parser when the guard is built', () => {
    const loader = countingLoader();
    new SqlGuard('sqlite', { loadParser: loader.load });
    expect(loader.calls()).toBe(0);
  });

  it('loads it on the first statement and reuses it for the next ones', () => {
    const loader = countingLoader();
    const guard = new SqlGuard('sqlite', { loadParser: loader.load });
    expect(guard.prepare('SELECT id FROM users WHERE id = ?', policy, [1])[0]!.sql).toContain('"my-plugin_users"');
    guard.prepare('SELECT name FROM users', policy);
    guard.prepare('DELETE FROM users WHERE id = 2', policy);
    expect(loader.calls()).toBe(1);
  });
});
