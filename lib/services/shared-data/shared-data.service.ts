import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { assertActingAs } from '../../context/plugin-call-context.js';
import { SharedDataOwnershipError, SharedDataUnavailableError } from '../../errors/shared-data.errors.js';
import { PluginResources } from '../../resources/plugin-resources.js';
import { PluginTasks } from '../../tasks/plugin-tasks.js';
import { ApplicationBoot } from '../application-boot.js';
import { assertSharedDataName, serializeSharedValue } from './shared-data-arguments.js';
import { expiresAtFor, isLive } from './shared-data-expiry.js';
import { currentSharedDataTenant } from './shared-data-tenant.js';
import type { SharedDataListOptions, SharedDataSetOptions } from '../../interfaces/facets/shared-data.facet.js';
import type { SharedDataEntry } from './shared-data.interfaces.js';
import { PLUGIN_SHARED_DATA_OPTIONS, type SharedDataOptions } from './shared-data.options.js';
import { registerSharedDataTable } from './shared-data.registration.js';
import type { SharedDataTable } from './shared-data.table.js';

const DEFAULT_PURGE_INTERVAL_MS = 60_000;
/** The owner of the library's own tasks: not a valid plugin name, so no plugin's task key can equal it. */
const LIBRARY_TASK_OWNER = '@nestjs-plugins';
const PURGE_TASK_ID = 'shared-data-purge';
/** Node runs a longer interval every millisecond instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Key/value data plugins share, per tenant (the tenant of `PluginCallContext`, or
 * `SHARED_DATA_DEFAULT_TENANT` outside any), stored as JSON in the application's
 * DataSource. A key belongs to whoever created it: others may read it, only the owner may
 * overwrite or delete it. An expired key counts as absent everywhere — reads never return
 * it and anyone may create it anew — and a timer deletes expired rows, armed once the
 * application has booted. In cluster mode that timer is a global task: one instance at a time
 * purges, holding a lease in the database.
 */
@Injectable()
export class SharedDataService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SharedDataService.name);
  private readonly clock: () => number;
  private readonly purgeIntervalMs: number;
  /** Set once registered, so calls reach the table without awaiting the registration. */
  private table?: SharedDataTable;
  private registration?: Promise<SharedDataTable>;
  private purgeTimer?: NodeJS.Timeout;
  private purging?: Promise<void>;
  private cancelPurgeTask?: () => Promise<void>;
  /** the table is usable: there is something to purge */
  private available = false;
  private destroyed = false;

  constructor(
    private readonly resources: PluginResources,
    @Optional() @Inject(PLUGIN_SHARED_DATA_OPTIONS) options: SharedDataOptions = {},
    @Optional() private readonly tasks?: PluginTasks,
    @Optional() private readonly boot?: ApplicationBoot,
  ) {
    this.clock = options.now ?? Date.now;
    this.purgeIntervalMs = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
    if (!(this.purgeIntervalMs >= 1 && this.purgeIntervalMs <= MAX_TIMER_MS)) {
      throw new RangeError(`SharedDataOptions.purgeIntervalMs must be between 1 and ${MAX_TIMER_MS} ms, got ${this.purgeIntervalMs}`);
    }
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.ready();
    } catch (error) {
      // An application without a usable database still boots; each call then says why it fails.
      if (error instanceof SharedDataUnavailableError) return;
      throw error;
    }
    this.available = true;
  }

  /** Purging starts once the application has booted: a boot that fails leaves nothing armed. */
  onApplicationBootstrap(): void {
    if (!this.available) return;
    if (this.boot === undefined) this.startPurging();
    else this.boot.whenBooted(() => this.startPurging());
  }

  private startPurging(): void {
    if (this.destroyed) return;
    if (this.tasks?.clustered) {
      this.cancelPurgeTask = this.tasks
        .tasksFor(LIBRARY_TASK_OWNER)
        .schedule(PURGE_TASK_ID, { everyMs: this.purgeIntervalMs, scope: 'global' }, () => this.purgeExpired());
      return;
    }
    this.purgeTimer = setInterval(() => this.purgeInBackground(), this.purgeIntervalMs);
    this.purgeTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    await this.cancelPurgeTask?.();
    clearInterval(this.purgeTimer);
    // The DataSource closes after this hook: a purge under way finishes first.
    await this.purging;
  }

  /**
   * Creates the key with `ownerId` as owner, or replaces the value of a key `ownerId` owns.
   * A live key of another owner is refused with `SharedDataOwnershipError`; of writers
   * racing to create a key, exactly one wins.
   */
  async set(namespace: string, key: string, value: unknown, options: SharedDataSetOptions & { ownerId: string }): Promise<void> {
    assertSharedDataName('namespace', namespace);
    assertSharedDataName('key', key);
    const { ownerId, ttl } = options;
    assertSharedDataName('ownerId', ownerId);
    assertActingAs(ownerId);
    const json = serializeSharedValue(namespace, key, value);
    const tenantId = currentSharedDataTenant();
    const table = this.table ?? (await this.ready());
    for (;;) {
      const now = this.now();
      const row = { tenantId, namespace, key, value: json, ownerId, expiresAt: expiresAtFor(now, ttl), updatedAt: now };
      if (await table.upsert(row, now)) return;
      const holder = await table.entry(tenantId, namespace, key, this.now());
      if (holder !== undefined && holder.ownerId !== ownerId) {
        throw new SharedDataOwnershipError(ownerId, 'overwrite', namespace, key, holder.ownerId);
      }
      // The other owner's key expired or was deleted between the two statements: write again.
    }
  }

  /** The value, or undefined when the key is absent or expired. One indexed query. */
  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    assertSharedDataName('namespace', namespace);
    assertSharedDataName('key', key);
    const tenantId = currentSharedDataTenant();
    const table = this.table ?? (await this.ready());
    const json = await table.value(tenantId, namespace, key, this.now());
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  /** The value with its owner and times, or undefined when the key is absent or expired. */
  async getEntry(namespace: string, key: string): Promise<SharedDataEntry | undefined> {
    assertSharedDataName('namespace', namespace);
    assertSharedDataName('key', key);
    const tenantId = currentSharedDataTenant();
    const table = this.table ?? (await this.ready());
    const stored = await table.entry(tenantId, namespace, key, this.now());
    if (stored === undefined) return undefined;
    return {
      namespace,
      key,
      value: JSON.parse(stored.value),
      ownerId: stored.ownerId,
      ...(stored.expiresAt === null ? {} : { expiresAt: new Date(stored.expiresAt).toISOString() }),
      updatedAt: new Date(stored.updatedAt).toISOString(),
    };
  }

  /** Deletes a key `ownerId` owns; false when it was absent or expired. */
  async delete(namespace: string, key: string, ownerId: string): Promise<boolean> {
    assertSharedDataName('namespace', namespace);
    assertSharedDataName('key', key);
    assertSharedDataName('ownerId', ownerId);
    assertActingAs(ownerId);
    const tenantId = currentSharedDataTenant();
    const table = this.table ?? (await this.ready());
    const deleted = await table.deleteOwned(tenantId, namespace, key, ownerId);
    const now = this.now();
    if (deleted !== undefined) return isLive(deleted.expiresAt, now);
    const holder = await table.entry(tenantId, namespace, key, now);
    if (holder !== undefined && holder.ownerId !== ownerId) {
      throw new SharedDataOwnershipError(ownerId, 'delete', namespace, key, holder.ownerId);
    }
    return false;
  }

  /** The live keys of a namespace (only those `ownerId` owns, if given), sorted by code unit. */
  async list(namespace: string, options: SharedDataListOptions = {}): Promise<string[]> {
    assertSharedDataName('namespace', namespace);
    if (options.ownerId !== undefined) assertSharedDataName('ownerId', options.ownerId);
    const tenantId = currentSharedDataTenant();
    const table = this.table ?? (await this.ready());
    const keys = await table.keys(tenantId, namespace, options.ownerId, this.now());
    // Sorted here, not by ORDER BY: PostgreSQL would sort by its locale's collation, SQLite by bytes.
    return keys.sort();
  }

  /** Deletes the expired rows of every tenant; resolves to how many. The timer calls it too. */
  async purgeExpired(): Promise<number> {
    const table = this.table ?? (await this.ready());
    return table.purge(this.now());
  }

  /** Registers the table once, on the first call or at start-up, whichever comes first. */
  private ready(): Promise<SharedDataTable> {
    this.registration ??= this.register();
    return this.registration;
  }

  private async register(): Promise<SharedDataTable> {
    return (this.table = await registerSharedDataTable(this.resources.entityTables));
  }

  private purgeInBackground(): void {
    // A purge slower than the interval is not joined by a second one.
    if (this.purging !== undefined) return;
    this.purging = this.purgeExpired()
      .then(
        () => undefined,
        (error: unknown) => this.logger.error(`Purging expired shared data failed: ${(error as Error).message}`),
      )
      .finally(() => (this.purging = undefined));
  }

  /** Whole epoch ms: the time columns are integers, and PostgreSQL will not compare a bigint with a fraction. */
  private now(): number {
    return Math.floor(this.clock());
  }
}
