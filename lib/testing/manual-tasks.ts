import { TaskAlreadyScheduledError } from '../errors/task.errors.js';
import type { ScopedTasks, TaskFunction, TaskScheduleOptions } from '../interfaces/facets/tasks.facet.js';
import { validateTaskSchedule } from '../tasks/validate-task-schedule.js';

/** One task a plugin scheduled on a ManualTasks. */
export interface ScheduledTask {
  readonly id: string;
  readonly options: Readonly<TaskScheduleOptions>;
}

/**
 * `ctx.tasks` for unit tests: `schedule` is checked as in an application (the same errors), but
 * nothing runs on a timer. The test runs a task when it wants to, with `run(id)`.
 */
export class ManualTasks implements ScopedTasks {
  private readonly tasks = new Map<string, { options: TaskScheduleOptions; fn: TaskFunction; controller: AbortController }>();

  constructor(private readonly pluginName: string) {}

  schedule(id: string, options: TaskScheduleOptions, fn: TaskFunction): () => Promise<void> {
    validateTaskSchedule(this.pluginName, id, options, fn);
    if (this.tasks.has(id)) throw new TaskAlreadyScheduledError(this.pluginName, id);
    const task = { options: { ...options }, fn, controller: new AbortController() };
    this.tasks.set(id, task);
    return async () => {
      if (this.tasks.get(id) !== task) return;
      task.controller.abort();
      this.tasks.delete(id);
    };
  }

  /** The tasks scheduled and not cancelled, in the order they were scheduled. */
  get scheduled(): ScheduledTask[] {
    return [...this.tasks].map(([id, { options }]) => ({ id, options }));
  }

  /** Runs a scheduled task once, as its timer would; resolves to what it returned. */
  async run(id: string): Promise<unknown> {
    const task = this.tasks.get(id);
    if (task === undefined) throw new Error(`Task "${id}" of plugin "${this.pluginName}" is not scheduled`);
    return task.fn({ signal: task.controller.signal });
  }
}
