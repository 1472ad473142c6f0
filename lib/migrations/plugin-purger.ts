import { PluginPurgeError } from '../errors/migration.errors.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginResources } from '../resources/plugin-resources.js';
import type { DurableTopicRemoval, DurableTopicTransport } from '../resources/topics/topic-transport.interface.js';
import { purgeDatabase, type PurgedDatabase } from './purge-database.js';
import { purgePlanOf, type PurgePlan } from './purge-plan.js';

/** What `uninstall(name, { purge: true })` removed, and what it left because the host mapped it outside the plugin's names. */
export interface PurgeReport extends PurgedDatabase {
  /** objects deleted from the plugin's buckets */
  readonly bucketObjects: number;
  /** durable topics (real names) whose stream was deleted */
  readonly streams: string[];
  /** durable topics of others (real names) the plugin's subscriber group was removed from */
  readonly subscriptions: string[];
  /** what purge left, and why: `bucket "avatars" (as "shared-avatars")`, a role the application may not drop */
  readonly kept: readonly string[];
}

const NOTHING_IN_DATABASE: PurgedDatabase = { tables: [], sequences: [], types: [], sharedDataRows: 0, migrationRows: 0, kept: [] };

/**
 * Removes an unloaded plugin's data for good. Each step is idempotent, and a purge that fails
 * stays pending under the plugin's name, so `uninstall` of the (now unregistered) plugin runs
 * it again: bucket objects first, then durable-topic streams, then the database in one
 * transaction (tables, sequences, shared data, role, and last its `plugin_migrations` rows,
 * which keep saying the plugin had a schema until everything else is gone).
 */
export class PluginPurger {
  private readonly pending = new Map<string, PurgePlan>();

  constructor(private readonly resources: PluginResources) {}

  /** Fixed while the plugin is still registered: its buckets and topics under the overrides in force. */
  planFor(metadata: Readonly<PluginMetadata>): PurgePlan {
    return purgePlanOf(metadata, this.resources.overrides.get(metadata.name));
  }

  /** The purge of an unloaded plugin that failed part-way, if any. */
  pendingFor(pluginName: string): PurgePlan | undefined {
    return this.pending.get(pluginName);
  }

  async purge(plan: PurgePlan): Promise<PurgeReport> {
    this.pending.set(plan.pluginName, plan);
    const bucketObjects = await this.clearBuckets(plan);
    const { streams, subscriptions, kept } = await this.removeDurableTopics(plan);
    const dataSource = this.resources.entityTables?.dataSource;
    const database = dataSource === undefined ? NOTHING_IN_DATABASE : await this.step(plan, 'database objects', () => purgeDatabase(dataSource, plan.pluginName));
    await this.resources.forgetPlugin(plan.pluginName);
    this.pending.delete(plan.pluginName);
    return { ...database, bucketObjects, streams, subscriptions, kept: [...plan.kept, ...kept, ...database.kept] };
  }

  private async clearBuckets(plan: PurgePlan): Promise<number> {
    const driver = this.resources.storageDriver();
    let deleted = 0;
    for (const bucket of plan.buckets) {
      await this.step(plan, `bucket "${bucket}"`, async () => {
        try {
          for (const key of await driver.list(bucket, '')) {
            await driver.delete(bucket, key);
            deleted++;
          }
        } catch (error) {
          throw new Error(`the storage driver failed${storageCodeOf(error)}`, { cause: error });
        }
      });
    }
    return deleted;
  }

  private async removeDurableTopics(plan: PurgePlan): Promise<{ streams: string[]; subscriptions: string[]; kept: string[] }> {
    const result = { streams: [] as string[], subscriptions: [] as string[], kept: [] as string[] };
    if (plan.durableTopics.length === 0 && plan.subscribedTopics.length === 0) return result;
    const transport = this.resources.topicTransport() as Partial<DurableTopicRemoval & DurableTopicTransport>;
    // A transport without durable delivery (the in-process one) refused those topics, so stored nothing.
    if (typeof transport.publishDurable !== 'function') return result;
    if (typeof transport.deleteDurableTopic !== 'function' || typeof transport.deleteDurableGroup !== 'function') {
      const name = transport.constructor.name;
      for (const topic of plan.durableTopics) result.kept.push(`durable topic "${topic}" (${name} cannot delete streams)`);
      return result;
    }
    for (const topic of plan.durableTopics) {
      if (await this.step(plan, `durable topic "${topic}"`, () => transport.deleteDurableTopic!(topic))) result.streams.push(topic);
    }
    for (const topic of plan.subscribedTopics) {
      if (await this.step(plan, `subscription to durable topic "${topic}"`, () => transport.deleteDurableGroup!(topic, plan.pluginName))) {
        result.subscriptions.push(topic);
      }
    }
    return result;
  }

  private async step<T>(plan: PurgePlan, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new PluginPurgeError(plan.pluginName, what, { cause });
    }
  }
}

/** A short code the storage gave (` (EACCES)`, ` (AccessDenied)`), never its message: a local driver's names a host path. */
function storageCodeOf(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const candidate = typeof code === 'string' ? code : name !== 'Error' && typeof name === 'string' ? name : undefined;
  return candidate !== undefined && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(candidate) ? ` (${candidate})` : '';
}
