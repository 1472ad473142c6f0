import type { ModuleMetadata, Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { IsolationLimits, IsolationMode, RestartOptions } from './isolation-options.interface.js';

/** A dependency on another plugin: its name (any version) or a detailed declaration. */
export type PluginDependency =
  | string
  | {
      name: string;
      /** semver range the dependency's version must satisfy; any version when omitted */
      version?: string;
      /** an absent optional dependency is not an error; a present one must still match `version` */
      optional?: boolean;
      /** why the dependency exists, for people reading the graph */
      reason?: string;
    };

/**
 * An entry of `allowedTopics`: the topic's name, or `{ name, durable: true }` for a durable
 * topic (at least once per subscribing plugin, de-duplicated by message id; needs a
 * transport with durable delivery, such as `NatsTopicTransport` on JetStream).
 */
export type TopicDeclaration = string | { name: string; durable?: boolean };

/** The plugin part of `@Plugin()`: what the registry knows about a plugin. */
export interface PluginMetadata {
  /** unique id, kebab-case: /^[a-z][a-z0-9-]*$/ */
  name: string;
  /** valid semver */
  version: string;
  description?: string;
  dependencies?: PluginDependency[];
  /** TypeORM entities owned by the plugin */
  entities?: Type<unknown>[];
  /**
   * TypeORM `MigrationInterface` classes that create and change the plugin's tables, run in
   * the order of the timestamps ending their names when the plugin is registered, before `onPluginInit` (docs/api.md, Migrations)
   */
  migrations?: Type<MigrationInterface>[];
  allowedTables?: string[];
  allowedTopics?: TopicDeclaration[];
  allowedBuckets?: string[];
  /** permissions the plugin requests for calling guarded methods of others */
  permissions?: string[];
  /**
   * class-validator class of the plugin's configuration: `forRoot({ config: { [name]: … } })` is
   * turned into an instance of it (property initializers are the defaults), validated, and read as `ctx.config`
   */
  configSchema?: Type<object>;
  /** semver range of host versions the plugin works with, checked against `forRoot({ hostVersion })` */
  hostRange?: string;
  /** where the plugin runs: `inline` (default), a worker `thread` or a child `process` (docs/isolation.md); `forRoot({ isolation })` wins */
  isolation?: IsolationMode;
  /** limits of an isolated plugin's thread or process */
  resourceLimits?: IsolationLimits;
  /** crash-loop breaker of an isolated plugin (default: 3 restarts within 300 000 ms) */
  restart?: RestartOptions;
  /**
   * host environment variables a `'process'` plugin receives, by name (values from the host's
   * own environment; a name the host does not set is absent). Nothing else of the host's
   * environment reaches it (docs/isolation.md)
   */
  env?: string[];
}

/** What `@Plugin()` takes: plugin metadata plus the fields of Nest's `@Module()`. */
export interface PluginOptions extends PluginMetadata, ModuleMetadata {}

/** A dependency with every default filled in. */
export interface NormalizedDependency {
  name: string;
  /** semver range; `*` when the declaration named no version */
  version: string;
  optional: boolean;
  reason?: string;
}
