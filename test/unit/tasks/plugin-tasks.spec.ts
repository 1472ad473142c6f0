import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DefaultPluginContext } from '../../../lib/context/plugin-context.js';
import { TasksUnavailableError } from '../../../lib/errors/index.js';
import type { PluginModuleOptions } from '../../../lib/module/plugin-module-options.js';
import type { PluginResources } from '../../../lib/resources/plugin-resources.js';
import { PluginTasks } from '../../../lib/tasks/plugin-tasks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const withoutDatabase = { entityTables: undefined } as unknown as PluginResources;

/**
 * Runs a global task on a host without a database until `enough` says so (checked every 20 ms,
 * for at most 2 s: a loaded machine runs fewer turns per window); returns its runs and the errors logged.
 */
async function globalRuns(options: PluginModuleOptions, enough: (runs: number, errors: number) => boolean): Promise<{ runs: number; errors: string[] }> {
  const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
  try {
    const tasks = new PluginTasks(options, withoutDatabase);
    let runs = 0;
    tasks.tasksFor('reports').schedule('nightly', { everyMs: 5, scope: 'global', leaseMs: 30 }, () => void runs++);
    for (let waited = 0; waited < 2000 && !enough(runs, logged.mock.calls.length); waited += 20) await sleep(20);
    await tasks.onModuleDestroy();
    return { runs, errors: logged.mock.calls.map(([message]) => String(message)) };
  } finally {
    logged.mockRestore();
  }
}

describe('PluginTasks without a database', () => {
  it('runs a global task under a lease in memory when cluster is off', async () => {
    const { runs, errors } = await globalRuns({}, (runs) => runs > 2);
    expect(errors).toEqual([]);
    expect(runs).toBeGreaterThan(2);
  });

  it('refuses to run a global task in cluster mode, where a lease in memory would not be one at a time', async () => {
    const { runs, errors } = await globalRuns({ cluster: { nodeId: 'a' } }, (_runs, errors) => errors > 0);
    expect(runs).toBe(0);
    expect(errors[0]).toBe(
      'Task "nightly" failed: Global task "reports/nightly" cannot hold a lease: cluster mode keeps leases in the application\'s TypeORM DataSource ' +
        '(PostgreSQL, or SQLite with better-sqlite3), and there is none',
    );
  });

  it('a context built without a host has no tasks, and says why', () => {
    const context = new DefaultPluginContext({ name: 'reports', version: '1.0.0' }, {} as never, {} as never, {} as never, {} as never, {} as never);
    expect(() => context.tasks).toThrow(TasksUnavailableError);
    expect(() => context.tasks).toThrow('Plugin "reports" has no task scheduler: its context was built without PluginModule');
  });
});
