import { jest } from '@jest/globals';
import { guestMigrationQueryRunner } from '../../../lib/isolation/guest/guest-migration-query-runner.js';

describe('guestMigrationQueryRunner', () => {
  const migrationQuery = jest.fn(async (..._args: unknown[]) => [{ ok: 1 }]);
  const runner = guestMigrationQueryRunner('jars', 'postgres', { migrationQuery } as never);

  it('sends query to the host and names the engine', async () => {
    await expect(runner.query('SELECT $1', [1])).resolves.toEqual([{ ok: 1 }]);
    expect(migrationQuery).toHaveBeenCalledWith('SELECT $1', [1]);
    expect(runner.connection.options.type).toBe('postgres');
  });

  it('refuses the schema builder, naming the plugin and what to use instead', () => {
    expect(() => runner.createTable).toThrow(
      'Plugin "jars": queryRunner.createTable is not available to the migrations of an isolated plugin; use queryRunner.query(sql, parameters) in isolated plugins',
    );
  });

  it('is not taken for a promise', () => {
    expect((runner as unknown as { then?: unknown }).then).toBeUndefined();
  });
});
