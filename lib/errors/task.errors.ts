import { PluginError } from './plugin.error.js';

/** `ctx.tasks.schedule` with an id the plugin has scheduled already (and not cancelled). */
export class TaskAlreadyScheduledError extends PluginError {
  readonly code = 'PLUGIN_TASK_ALREADY_SCHEDULED';

  constructor(
    readonly pluginName: string,
    readonly taskId: string,
  ) {
    super(`Plugin "${pluginName}" has already scheduled task "${taskId}"; cancel it before scheduling it again`);
  }
}

/** `ctx.tasks.schedule` with an id, options or function it cannot run. */
export class InvalidTaskScheduleError extends PluginError {
  readonly code = 'PLUGIN_INVALID_TASK_SCHEDULE';

  constructor(
    readonly pluginName: string,
    readonly taskId: string,
    readonly problems: readonly string[],
  ) {
    super(`Plugin "${pluginName}" cannot schedule task "${taskId}": ${problems.join('; ')}`);
  }
}

/** A global task in cluster mode without a database its lease can live in. */
export class TaskLeaseUnavailableError extends PluginError {
  readonly code = 'PLUGIN_TASK_LEASE_UNAVAILABLE';

  constructor(readonly taskKey: string) {
    super(
      `Global task "${taskKey}" cannot hold a lease: cluster mode keeps leases in the application's TypeORM DataSource ` +
        `(PostgreSQL, or SQLite with better-sqlite3), and there is none`,
    );
  }
}

/** `ctx.tasks` of a context built without a host (a hand-made context in a test): nothing could run or cancel its tasks. */
export class TasksUnavailableError extends PluginError {
  readonly code = 'PLUGIN_TASKS_UNAVAILABLE';

  constructor(readonly pluginName: string) {
    super(`Plugin "${pluginName}" has no task scheduler: its context was built without PluginModule`);
  }
}
