import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { ResourceOverridesStore } from '../resources/resource-overrides.store.js';
import { ResourceScope } from '../resources/resource-scope.js';
import { ScopedBuckets } from '../resources/buckets/scoped-buckets.js';
import { InProcessTopicTransport } from '../resources/topics/in-process.topic-transport.js';
import { ScopedTopics } from '../resources/topics/scoped-topics.js';
import { InMemoryStorageDriver } from './in-memory.storage-driver.js';
import { mockDependencyMembers, type MockDependencies } from './mock-dependencies.js';
import { ManualTasks } from './manual-tasks.js';
import { MockMemberMissingError } from './mock-member-missing.error.js';
import { RecordingEventBus } from './recording-event-bus.js';
import { RecordingLogger } from './recording.logger.js';

/** What `createMockPluginContext` takes: any member of the context (it wins), plus stand-ins for dependencies. */
export type MockPluginContextOptions<TConfig extends object = Record<string, unknown>> = Partial<
  Omit<PluginContext<TConfig>, 'plugin'>
> & {
  /** Merged over `{ name: 'test-plugin', version: '0.0.0' }`; its allow-lists govern `topics` and `buckets`. */
  plugin?: Partial<PluginMetadata>;
  /** Serve `call` / `getDependency` / `getDependencies`: `{ 'user-utils': { getScore: async () => 3 } }`. */
  dependencies?: MockDependencies;
};

/** A PluginContext for unit tests, with the recorders behind its default members. */
export interface MockPluginContext<TConfig extends object = Record<string, unknown>> extends PluginContext<TConfig> {
  /** Records what the default `logger` was given (it is `logger` unless that was overridden). */
  readonly logs: RecordingLogger;
  /** Records what the default `eventBus` emitted (it is `eventBus` unless that was overridden). */
  readonly events: RecordingEventBus;
  /** The objects the default `buckets` stored, under their real (prefixed) bucket names. */
  readonly storage: InMemoryStorageDriver;
  /** The default `tasks`: what was scheduled, and `run(id)` to run a task (nothing runs on a timer). */
  readonly scheduledTasks: ManualTasks;
}

const DEFAULT_METADATA: PluginMetadata = { name: 'test-plugin', version: '0.0.0' };

/**
 * A PluginContext with no Nest application behind it, for unit tests of a plugin's providers.
 * Nothing here depends on a test runner: members are plain functions and recorders.
 *
 * - `logger`, `eventBus`: record into `logs` / `events`; the bus matches wildcards (`data:*`).
 * - `topics`, `buckets`: in memory, behind the same allow-list and naming checks as in an
 *   application (`plugin.allowedTopics` / `allowedBuckets`; unlisted names are denied).
 * - `tasks`: checked like an application's, run only by `scheduledTasks.run(id)`.
 * - `call`, `getDependency`, `getDependencies`: answered from `dependencies`; any other name
 *   throws `UndeclaredDependencyError`.
 * - `database`, `sharedData`, `http`: throw `MockMemberMissingError` unless given.
 * - `config` is `{}` and `valid` is true unless given.
 */
export function createMockPluginContext<TConfig extends object = Record<string, unknown>>(
  options: MockPluginContextOptions<TConfig> = {},
): MockPluginContext<TConfig> {
  const { plugin: metadataOverrides, dependencies = {}, ...members } = options;
  const plugin: Readonly<PluginMetadata> = Object.freeze({ ...DEFAULT_METADATA, ...metadataOverrides });
  const logs = new RecordingLogger();
  const events = new RecordingEventBus();
  const storage = new InMemoryStorageDriver();
  const scheduledTasks = new ManualTasks(plugin.name);
  const scope = new ResourceScope(plugin, new ResourceOverridesStore());
  const alwaysValid = () => undefined;
  const missing = (member: string) => () => {
    throw new MockMemberMissingError(plugin.name, member);
  };
  const defaults = {
    plugin,
    config: Object.freeze({}) as Readonly<TConfig>,
    logger: logs,
    eventBus: events,
    ...mockDependencyMembers(plugin.name, dependencies),
    topics: new ScopedTopics(scope, new InProcessTopicTransport(), alwaysValid),
    buckets: new ScopedBuckets(scope, storage, alwaysValid),
    tasks: scheduledTasks,
    valid: true,
    logs,
    events,
    storage,
    scheduledTasks,
  };
  const context = { ...defaults, ...members } as MockPluginContext<TConfig>;
  defineMissing(context, members, 'database', missing('database'));
  defineMissing(context, members, 'sharedData', missing('sharedData'));
  defineMissing(context, members, 'http', missing('http'));
  return context;
}

/** A member without a stand-in throws on first use, not when the context is made: most tests never touch it. */
function defineMissing(context: object, given: object, member: string, fail: () => never): void {
  if (Object.hasOwn(given, member)) return;
  Object.defineProperty(context, member, { get: fail, enumerable: false });
}
