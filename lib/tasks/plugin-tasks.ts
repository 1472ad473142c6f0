import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { resolveNodeId } from '../cluster/node-id.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { ownFrame, runAsPlugin } from '../context/plugin-call-context.js';
import { TaskLeaseUnavailableError } from '../errors/task.errors.js';
import { observeWork } from '../observability/observed-work.js';
import { PluginResources } from '../resources/plugin-resources.js';
import type { LeaseStore } from './lease-store.interface.js';
import type { PluginTasksOptions } from './plugin-tasks-options.js';
import { MemoryLeaseStore } from './memory-lease-store.js';
import { ScopedTasks, type TaskRunners } from './scoped-tasks.js';
import { registerTaskLeaseStore, supportsTaskLeases } from './task-lease.registration.js';
import { TaskRunner } from './task-runner.js';
import type { TaskFunction, TaskScheduleOptions } from '../interfaces/facets/tasks.facet.js';

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_STOP_WAIT_MS = 5000;
/** The holder column's width. */
const MAX_HOLDER_LENGTH = 255;

/**
 * The host side of scheduled tasks: one `ScopedTasks` per plugin, and the lease store of
 * global tasks. Leases live in the application's database when it has one the lease SQL
 * runs on (PostgreSQL, SQLite), with or without `cluster`: two processes on one SQLite file
 * do not overlap either. Without such a database a global task runs under a lease in
 * memory (one process), except in cluster mode, where that would not be one at a time and
 * each attempt fails with `TaskLeaseUnavailableError` instead.
 */
@Injectable()
export class PluginTasks implements TaskRunners, OnModuleDestroy {
  readonly stopWaitMs: number;
  private readonly nodeId: string;
  private leaseStore?: Promise<LeaseStore>;
  private readonly scopes = new Set<ScopedTasks>();

  constructor(
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginTasksOptions,
    private readonly resources: PluginResources,
  ) {
    this.nodeId = resolveNodeId(options.cluster);
    this.stopWaitMs = options.drainTimeoutMs ?? DEFAULT_STOP_WAIT_MS;
  }

  /** Whether `cluster` is on: the library's own chores then run as global tasks. */
  get clustered(): boolean {
    return this.options.cluster !== undefined;
  }

  /** The tasks of `owner` (a plugin name), usable while `assertValid` passes. */
  tasksFor(owner: string, assertValid: () => void = () => undefined): ScopedTasks {
    const scope = new ScopedTasks(owner, this, assertValid);
    this.scopes.add(scope);
    return scope;
  }

  /** Stops the tasks of `owner`'s scope and forgets it. */
  async release(scope: ScopedTasks): Promise<void> {
    this.scopes.delete(scope);
    await scope.close();
  }

  /** Nothing runs once the application stops; the DataSource closes after this, so leases are released first. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.scopes].map((scope) => this.release(scope)));
  }

  runnerFor(owner: string, id: string, options: TaskScheduleOptions, task: TaskFunction): TaskRunner {
    const key = `${owner}/${id}`;
    // Each run acts as its plugin, whatever code started the runner's timers (docs/security.md).
    const frame = ownFrame(owner);
    const fn: TaskFunction = (run) => observeWork('task', owner, id, runAsPlugin, frame, task, run);
    const logger = new Logger(owner);
    const onError = (error: unknown) =>
      logger.error(`Task "${id}" failed: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
    if (options.scope === 'local') return new TaskRunner({ key, everyMs: options.everyMs, fn, onError });
    const lease = {
      store: () => this.store(key),
      // One holder per runner, so not even a runner of this process mistakes another's lease for its own.
      holder: `${this.nodeId}#${randomUUID().slice(0, 8)}`.slice(-MAX_HOLDER_LENGTH),
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    };
    return new TaskRunner({ key, everyMs: options.everyMs, fn, onError, lease });
  }

  private store(key: string): Promise<LeaseStore> {
    const tables = this.resources.entityTables;
    if (supportsTaskLeases(tables)) {
      // A failed registration (the table could not be created) is tried again on the next claim.
      return (this.leaseStore ??= registerTaskLeaseStore(tables).catch((error: unknown) => {
        this.leaseStore = undefined;
        throw error;
      }));
    }
    if (this.options.cluster !== undefined) return Promise.reject(new TaskLeaseUnavailableError(key));
    return (this.leaseStore ??= Promise.resolve(new MemoryLeaseStore()));
  }
}
