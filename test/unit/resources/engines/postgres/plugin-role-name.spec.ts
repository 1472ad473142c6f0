import { pluginRoleName } from '../../../../../lib/resources/engines/postgres/plugin-role-name.js';

describe('pluginRoleName', () => {
  it('is readable, prefixed and hashed by database and plugin', () => {
    expect(pluginRoleName('shop', 'score-keeper')).toMatch(/^np_score_keeper_[0-9a-f]{16}$/);
  });

  it('differs between databases for the same plugin, and between plugins in one database', () => {
    const names = new Set([pluginRoleName('a', 'p'), pluginRoleName('b', 'p'), pluginRoleName('a', 'q')]);
    expect(names.size).toBe(3);
  });

  it('does not confuse a database name that contains the separator', () => {
    expect(pluginRoleName('a:b', 'c')).not.toBe(pluginRoleName('a', 'b:c'));
  });

  it('stays within PostgreSQL’s 63 bytes for the longest names', () => {
    expect(Buffer.byteLength(pluginRoleName('d'.repeat(63), `p${'-x'.repeat(200)}`))).toBeLessThanOrEqual(63);
  });

  it('is stable (the operator script computes the same name in SQL)', () => {
    expect(pluginRoleName('shop', 'score-keeper')).toBe(pluginRoleName('shop', 'score-keeper'));
  });
});
