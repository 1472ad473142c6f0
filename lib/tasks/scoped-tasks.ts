import { TaskAlreadyScheduledError } from '../errors/task.errors.js';
import type { ScopedTasks as PluginTasksApi, TaskFunction, TaskScheduleOptions } from '../interfaces/facets/tasks.facet.js';
import type { TaskRunner } from './task-runner.js';
import { validateTaskSchedule } from './validate-task-schedule.js';

/** What `ScopedTasks` needs from the host: a runner per task, and how long a stop waits for a run under way. */
export interface TaskRunners {
  runnerFor(owner: string, id: string, options: TaskScheduleOptions, fn: TaskFunction): TaskRunner;
  readonly stopWaitMs: number;
}

/**
 * `ctx.tasks` of one plugin (or of the library itself, for its own chores). It keeps every
 * runner it started, so `close()` stops what the plugin left scheduled when it unloads.
 */
export class ScopedTasks implements PluginTasksApi {
  readonly #runners = new Map<string, TaskRunner>();

  readonly #owner: string;
  readonly #host: TaskRunners;
  readonly #assertValid: () => void;

  constructor(owner: string, host: TaskRunners, assertValid: () => void) {
    this.#owner = owner;
    this.#host = host;
    this.#assertValid = assertValid;
  }

  schedule(id: string, options: TaskScheduleOptions, fn: TaskFunction): () => Promise<void> {
    this.#assertValid();
    validateTaskSchedule(this.#owner, id, options, fn);
    if (this.#runners.has(id)) throw new TaskAlreadyScheduledError(this.#owner, id);
    const runner = this.#host.runnerFor(this.#owner, id, options, fn);
    this.#runners.set(id, runner);
    runner.start();
    let cancelled: Promise<void> | undefined;
    return () => (cancelled ??= this.stop(id, runner));
  }

  /** Stops every task of the owner; resolves once no run can start any more (and runs under way ended, or the wait ran out). */
  async close(): Promise<void> {
    await Promise.all([...this.#runners].map(([id, runner]) => this.stop(id, runner)));
  }

  private async stop(id: string, runner: TaskRunner): Promise<void> {
    await runner.stop(this.#host.stopWaitMs);
    // Forgotten only once stopped: scheduling the id again meanwhile is still an error.
    if (this.#runners.get(id) === runner) this.#runners.delete(id);
  }
}
