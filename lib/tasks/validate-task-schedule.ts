import { InvalidTaskScheduleError } from '../errors/task.errors.js';

/** Longest task id: the lease key `<plugin>/<id>` must fit its column. */
export const MAX_TASK_ID_LENGTH = 200;
/** Node runs a longer timer every millisecond instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A lease shorter than this is renewed more often than a database round trip can keep up with. */
export const MIN_LEASE_MS = 30;

const SCOPES: ReadonlySet<unknown> = new Set(['global', 'local']);

/** Plugin code is not type-checked: everything `schedule` takes is checked, every problem listed at once. */
export function validateTaskSchedule(pluginName: string, id: unknown, options: unknown, fn: unknown): void {
  const problems: string[] = [];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_TASK_ID_LENGTH) {
    problems.push(`the id must be a non-empty string of at most ${MAX_TASK_ID_LENGTH} characters`);
  }
  const { everyMs, scope, leaseMs } = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  if (!isMilliseconds(everyMs, 1)) problems.push(`everyMs must be a whole number of ms from 1 to ${MAX_TIMER_MS}, got ${String(everyMs)}`);
  if (!SCOPES.has(scope)) problems.push(`scope must be "global" or "local", got ${JSON.stringify(scope) ?? String(scope)}`);
  if (leaseMs !== undefined && !isMilliseconds(leaseMs, MIN_LEASE_MS)) {
    problems.push(`leaseMs must be a whole number of ms from ${MIN_LEASE_MS} to ${MAX_TIMER_MS}, got ${String(leaseMs)}`);
  }
  if (typeof fn !== 'function') problems.push('the task must be a function');
  if (problems.length > 0) throw new InvalidTaskScheduleError(pluginName, typeof id === 'string' ? id : String(id), problems);
}

function isMilliseconds(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS;
}
