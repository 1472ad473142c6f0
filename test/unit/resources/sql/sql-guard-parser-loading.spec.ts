import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { loadedPostgresParser } from '../../../../lib/resources/sql/postgres/load-postgres-parser.js';
import { SqlGuard } from '../../../../lib/resources/sql/sql-guard.js';

/** PostgreSQL's parser is WebAssembly, compiled when its module loads: a host pays for it on its first PostgreSQL guard, once. */
describe('SqlGuard parser loading', () => {
  const policy = new ResourcePolicy('my-plugin', { name: 'my-plugin', allowedTables: ['users'] }, {});

  it('does not load it at import, nor for a SQLite guard', async () => {
    const guard = await SqlGuard.open('sqlite');
    expect(guard.prepare('SELECT id FROM users WHERE id = ?', policy, [1])[0]!.sql).toBe('SELECT id FROM "my-plugin_users" WHERE id = ?');
    expect(loadedPostgresParser()).toBeUndefined();
  });

  it('says so when a PostgreSQL guard is used before it is loaded', () => {
    expect(() => new SqlGuard('postgresql').prepare('SELECT id FROM users', policy)).toThrow(/SqlGuard\.open/);
  });

  it('loads it for the first PostgreSQL guard, once for every guard after', async () => {
    const [first] = await Promise.all([SqlGuard.open('postgresql'), SqlGuard.open('postgresql')]);
    const parse = loadedPostgresParser();
    expect(parse).toBeDefined();
    expect(first.prepare('SELECT id FROM users', policy)[0]!.sql).toBe('SELECT id FROM "my-plugin_users"');
    await SqlGuard.open('postgresql');
    expect(loadedPostgresParser()).toBe(parse);
  });
});
