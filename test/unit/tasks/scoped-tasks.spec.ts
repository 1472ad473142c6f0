import { InvalidTaskScheduleError, TaskAlreadyScheduledError } from '../../../lib/errors/index.js';
import { ScopedTasks, type TaskRunners } from '../../../lib/tasks/scoped-tasks.js';
import { TaskRunner } from '../../../lib/tasks/task-runner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const host: TaskRunners = {
  stopWaitMs: 1000,
  runnerFor: (owner, id, options, fn) => new TaskRunner({ key: `${owner}/${id}`, everyMs: options.everyMs, fn, onError: () => undefined }),
};

describe('ScopedTasks', () => {
  it('cancel stops the task: no run starts after it resolves', async () => {
    const tasks = new ScopedTasks('my-plugin', host, () => undefined);
    let runs = 0;
    const cancel = tasks.schedule('tick', { everyMs: 2, scope: 'local' }, () => void runs++);
    await sleep(20);
    await cancel();
    const atCancel = runs;
    await sleep(30);
    expect(atCancel).toBeGreaterThan(0);
    expect(runs).toBe(atCancel);
  });

  it('close stops every task of the owner; the id may then be scheduled again', async () => {
    const tasks = new ScopedTasks('my-plugin', host, () => undefined);
    let runs = 0;
    tasks.schedule('a', { everyMs: 2, scope: 'local' }, () => void runs++);
    tasks.schedule('b', { everyMs: 2, scope: 'local' }, () => void runs++);
    await sleep(10);
    await tasks.close();
    const atClose = runs;
    await sleep(30);
    expect(runs).toBe(atClose);
    const cancel = tasks.schedule('a', { everyMs: 2, scope: 'local' }, () => undefined);
    await cancel();
  });

  it('refuses an id already scheduled', async () => {
    const tasks = new ScopedTasks('my-plugin', host, () => undefined);
    const cancel = tasks.schedule('tick', { everyMs: 1000, scope: 'local' }, () => undefined);
    expect(() => tasks.schedule('tick', { everyMs: 1000, scope: 'local' }, () => undefined)).toThrow(TaskAlreadyScheduledError);
    expect(() => tasks.schedule('tick', { everyMs: 1000, scope: 'local' }, () => undefined)).toThrow(
      'Plugin "my-plugin" has already scheduled task "tick"; cancel it before scheduling it again',
    );
    await cancel();
  });

  it('lists every problem of a schedule it cannot run', () => {
    const tasks = new ScopedTasks('my-plugin', host, () => undefined);
    const schedule = () => tasks.schedule('tick', { everyMs: 0, scope: 'everywhere', leaseMs: 5 } as never, 'nope' as never);
    expect(schedule).toThrow(InvalidTaskScheduleError);
    expect(schedule).toThrow(
      'Plugin "my-plugin" cannot schedule task "tick": everyMs must be a whole number of ms from 1 to 2147483647, got 0; ' +
        'scope must be "global" or "local", got "everywhere"; leaseMs must be a whole number of ms from 30 to 2147483647, got 5; ' +
        'the task must be a function',
    );
  });

  it('checks the context is valid first', () => {
    const tasks = new ScopedTasks('my-plugin', host, () => {
      throw new Error('invalidated');
    });
    expect(() => tasks.schedule('tick', { everyMs: 1000, scope: 'local' }, () => undefined)).toThrow('invalidated');
  });
});
