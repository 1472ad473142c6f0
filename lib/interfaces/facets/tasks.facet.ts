/** `'local'`: every instance runs the task. `'global'`: one instance at a time, holding a lease in the store. */
export type TaskScope = 'global' | 'local';

export interface TaskScheduleOptions {
  /** From the start of one run to the start of the next, in ms; a run that takes longer delays the next (runs never overlap). */
  everyMs: number;
  scope: TaskScope;
  /**
   * A global task's lease, in ms (default 30 000): the holder renews it every third of that
   * while it lives, and another instance takes over at most this long after the holder dies.
   */
  leaseMs?: number;
}

/** What one run of a task is given. */
export interface TaskRun {
  /**
   * Aborted when the task is cancelled (the plugin unloads) or, for a global task, when its
   * lease could not be renewed in time: another instance may start the task soon, so stop.
   */
  readonly signal: AbortSignal;
}

export type TaskFunction = (run: TaskRun) => unknown;

/** `ctx.tasks`: the plugin's scheduled tasks, cancelled when it unloads. */
export interface ScopedTasks {
  /**
   * Runs `fn` every `everyMs`, the first time at once (a global task: when it is due, which
   * survives a change of holder). Returns the cancel: no run starts after it resolves.
   */
  schedule(id: string, options: TaskScheduleOptions, fn: TaskFunction): () => Promise<void>;
}
