/**
 * Everything that crosses the boundary between the host and an isolated plugin, in one place:
 * what the host asks of the guest, and what the guest asks of the host. Values cross by
 * structured clone; errors as `WireError`s.
 */

import type { QueryRunner } from 'typeorm';
import type { ScopedBuckets } from '../interfaces/facets/buckets.facet.js';
import type { ScopedDatabase } from '../interfaces/facets/database.facet.js';
import type { PluginLogger } from '../interfaces/facets/logger.facet.js';
import type { SharedDataClient } from '../interfaces/facets/shared-data.facet.js';
import type { ReceivedTopicMessage, ScopedTopics } from '../interfaces/facets/topics.facet.js';
import type { ConfigOutcome } from '../metadata/described-config.js';
import type { DescribeOutcome } from './plugin-description.js';

/** Who calls and for which tenant. The caller is always set by the host, never taken from the guest. */
/** The code a guest rejects a `ctx.http` answer with when it is over the cap (the host answers 502). */
export const ANSWER_TOO_LARGE = 'ANSWER_TOO_LARGE';

export interface WireCallScope {
  readonly callerPluginId?: string;
  readonly tenantId?: string;
  readonly tenantSlug?: string;
}

export interface GuestBootOptions {
  /** file URL of the module that exports the plugin class */
  readonly moduleUrl: string;
  readonly pluginName: string;
  /** `ctx.config` as the host validated it */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface WireExposedMethod {
  readonly name: string;
  /** checked by the host, which knows the caller */
  readonly permissions: readonly string[];
}

export interface WireRoute {
  readonly method: string;
  readonly path: string;
}

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
  readonly body: unknown;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A request to the plugin's Nest controllers: its URL as the guest's routes see it (no global prefix), the body as the host parsed it. */
export interface WireHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** The answer of the plugin's Nest application, as it wrote it. */
export interface WireHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Uint8Array;
}

/**
 * One migration of an isolated plugin, run by a guest of its own while the host holds the
 * transaction: its statements come back to the host's scoped runner (`migrationQuery`).
 */
export interface WireMigrationRun {
  readonly moduleUrl: string;
  readonly pluginName: string;
  readonly name: string;
  /** as the host planned it: a migration changed since the plugin was read does not run */
  readonly checksum: string;
  readonly direction: 'up' | 'down';
  /** `queryRunner.connection.options.type`, which migrations read to write SQL for the engine */
  readonly databaseType: string;
}

/** The logger's levels, as `ctx.logger` has them. */
export type WireLogLevel = Exclude<keyof PluginLogger, 'setLogLevels'>;

/** What the host calls on a guest. */
export interface GuestFunctions {
  /**
   * Imports the module and reports its default export's plugin metadata as data (a short-lived
   * guest: the host reads a `'process'` plugin's metadata without running its code).
   * `trustedPlugins` is the host's list, for the database-door check.
   */
  describe(moduleUrl: string, trustedPlugins: readonly string[]): Promise<DescribeOutcome>;
  /** After `describe`: the host's configuration values for the plugin, checked against its `configSchema`. */
  resolveConfig(values: unknown): Promise<ConfigOutcome>;
  /** Imports the plugin and builds its Nest application context; answers with its exposed methods. */
  boot(options: GuestBootOptions): Promise<WireExposedMethod[]>;
  /** `onPluginInit(ctx)`, after the `@OnPluginEvent` listeners are subscribed. */
  init(): Promise<void>;
  /** `call` numbers it: before it runs the method, a thread guest stores it in `callsStarted`, a process guest sends `callStarted`. */
  invoke(method: string, args: unknown[], scope: WireCallScope, call: number): Promise<unknown>;
  deliverEvent(subscription: number, values: unknown[], scope: WireCallScope): void;
  deliverTopicMessage(subscription: number, message: ReceivedTopicMessage): Promise<void>;
  /** One request to a `ctx.http` route, in the request's tenant; rejects (code `ANSWER_TOO_LARGE`) when the answer is larger than `maxBodyBytes`. */
  handleRoute(route: number, request: WireRequest, scope: WireCallScope, maxBodyBytes: number): Promise<WireResponse>;
  /** After `boot`: the routes of the plugin's Nest controllers, which the host mounts (none without controllers). */
  controllerRoutes(): WireRoute[];
  /** One request to the plugin's Nest controllers, in the request's tenant; rejects when the answer is larger than `maxBodyBytes`. */
  handleRequest(request: WireHttpRequest, scope: WireCallScope, maxBodyBytes: number): Promise<WireHttpResponse>;
  /** `onPluginDestroy()`, then the Nest context is closed. */
  destroy(): Promise<void>;
  /** Imports the plugin's module and runs one migration's `up` or `down` (a guest started for it). */
  runMigration(run: WireMigrationRun): Promise<void>;
}

/**
 * What a guest calls on the host; every call acts as the plugin the guest runs, under its scope.
 * Where a facet's method crosses as it is, its arguments and result are the facet's own
 * (`Parameters<…>`): a member or argument added to the facet reaches both sides or neither.
 */
export interface HostFunctions {
  call(pluginId: string, method: string, args: unknown[], scope: WireCallScope): Promise<unknown>;
  /** A process guest took up `invoke`'s call `call`: a hung guest's queued calls are told apart from the one it is stuck in. */
  callStarted(call: number): void;
  emit(event: string, values: unknown[], scope: WireCallScope): void;
  subscribe(subscription: number, event: string, once: boolean): void;
  unsubscribe(subscription: number): void;
  /** `scope`: the tenant the line was written for, and the caller of the call it was written in (kept only when that plugin called the guest). */
  log(level: WireLogLevel, message: string, scope: WireCallScope): void;
  databaseReady(): Promise<void>;
  executeQuery(...args: Parameters<ScopedDatabase['executeQuery']>): Promise<unknown>;
  repository(entity: string, method: string, args: unknown[]): Promise<unknown>;
  topicSend(...args: Parameters<ScopedTopics['send']>): ReturnType<ScopedTopics['send']>;
  topicSubscribe(subscription: number, topic: string): Promise<void>;
  topicUnsubscribe(subscription: number): Promise<void>;
  bucket<K extends keyof ScopedBuckets>(operation: K, args: Parameters<ScopedBuckets[K]>): ReturnType<ScopedBuckets[K]>;
  sharedData<K extends keyof SharedDataClient>(operation: K, args: Parameters<SharedDataClient[K]>, scope: WireCallScope): ReturnType<SharedDataClient[K]>;
  registerRoute(route: number, definition: WireRoute): void;
  /** A statement of the migration `runMigration` runs, in the host's transaction, under the plugin's scoped runner. */
  migrationQuery(...args: Parameters<QueryRunner['query']>): Promise<unknown>;
}
