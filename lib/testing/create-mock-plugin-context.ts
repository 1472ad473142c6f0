import type { FacetTable, PluginFacets } from '../interfaces/facets/plugin-facets.js';
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

/** Facets with no in-memory stand-in: a test that uses one passes it. */
const MISSING_FACETS = ['database', 'sharedData', 'http'] as const;
type MissingFacet = (typeof MISSING_FACETS)[number];

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
  const missing = (member: MissingFacet) => () => {
    throw new MockMemberMissingError(plugin.name, member);
  };
  const facets: FacetTable<PluginFacets> = {
    config: () => Object.freeze({}),
    logger: () => logs,
    eventBus: () => events,
    http: missing('http'),
    database: missing('database'),
    topics: (assertValid) => new ScopedTopics(scope, new InProcessTopicTransport(), assertValid),
    buckets: (assertValid) => new ScopedBuckets(scope, storage, assertValid),
    sharedData: missing('sharedData'),
    tasks: () => scheduledTasks,
    call: () => mockDependencyMembers(plugin.name, dependencies),
  };
  const alwaysValid = () => undefined;
  const defaults: Record<string, unknown> = { plugin, valid: true, logs, events, storage, scheduledTasks };
  for (const name of Object.keys(facets) as Array<keyof PluginFacets>) {
    if (name === 'call') Object.assign(defaults, facets.call(alwaysValid));
    else if (!isMissing(name)) defaults[name] = facets[name](alwaysValid);
  }
  const context = { ...defaults, ...members } as MockPluginContext<TConfig>;
  for (const member of MISSING_FACETS) defineMissing(context, members, member, () => facets[member](alwaysValid));
  return context;
}

function isMissing(name: keyof PluginFacets): name is MissingFacet {
  return (MISSING_FACETS as readonly string[]).includes(name);
}

/** A member without a stand-in throws on first use, not when the context is made: most tests never touch it. */
function defineMissing(context: object, given: object, member: string, fail: () => unknown): void {
  if (Object.hasOwn(given, member)) return;
  Object.defineProperty(context, member, { get: fail, enumerable: false });
}
