import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { isEntitySchema } from './entity-schema.js';
import { dependencyProblems } from './plugin-dependencies.problems.js';
import { isPluginName } from './problem-text.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';

/**
 * The rule of each metadata field, as plain predicates. The class-validator schema uses
 * them to report problems; `satisfiesEveryRule` uses them to skip class-validator for the
 * (usual) valid metadata: a validateSync call costs about 20 µs, and loading class-validator
 * at all about 300 ms and 4 MB, which an application whose plugins are valid never pays.
 */

export const isSemverVersion = (value: unknown): boolean => typeof value === 'string' && valid(value) !== null;

export const isSemverRange = (value: unknown): boolean => typeof value === 'string' && validRange(value) !== null;

export const isClass = (value: unknown): boolean => typeof value === 'function';

/** Entity classes; or the `EntitySchema`s that stand in for a described `'process'` plugin's classes. */
export const isClassArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'function' || isEntitySchema(item));

/** `migrations`: TypeORM migration classes (an `up` and a `down` method), no two of one name. */
export const isMigrationClassArray = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.every((item) => typeof item === 'function' && typeof item.prototype?.up === 'function' && typeof item.prototype?.down === 'function') &&
  new Set(value.map((item: Function) => item.name)).size === value.length;

export const isNonEmptyStringArray = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);

/**
 * Longest topic name, declared or mapped. Brokers have limits of their own (NATS drops a
 * connection, with every plugin's subscriptions on it, over a 4096-byte protocol line), so
 * a name that could break one is refused when declared rather than when sent.
 */
export const MAX_TOPIC_NAME_LENGTH = 255;

export const isTopicName = (value: unknown): boolean =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_TOPIC_NAME_LENGTH;

/** A topic name, or `{ name, durable }` (a durable topic, see docs/cluster.md). */
export const isTopicDeclaration = (value: unknown): boolean =>
  isTopicName(value) ||
  (typeof value === 'object' &&
    value !== null &&
    isTopicName((value as { name?: unknown }).name) &&
    ['undefined', 'boolean'].includes(typeof (value as { durable?: unknown }).durable) &&
    Object.keys(value).every((field) => field === 'name' || field === 'durable'));

export const isTopicNameArray = (value: unknown): boolean => Array.isArray(value) && value.every(isTopicDeclaration);

const ISOLATION_MODES: ReadonlySet<unknown> = new Set(['inline', 'thread', 'process']);

export const isIsolationMode = (value: unknown): boolean => ISOLATION_MODES.has(value);

const isPositiveInteger = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** An object with only the given optional fields, each absent or passing its rule. */
const isOptionsObject =
  (rules: Readonly<Record<string, (value: unknown) => boolean>>) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([field, fieldValue]) => Object.hasOwn(rules, field) && (fieldValue === undefined || rules[field]!(fieldValue)));

/** `resourceLimits`: `{ maxOldGenerationSizeMb?, callTimeoutMs? }`, positive whole numbers. */
export const isIsolationLimits = isOptionsObject({ maxOldGenerationSizeMb: isPositiveInteger, callTimeoutMs: isPositiveInteger });

/** `restart`: `{ maxRestarts?, windowMs? }`; no restart at all (`maxRestarts: 0`) is allowed. */
export const isRestartOptions = isOptionsObject({ maxRestarts: isCount, windowMs: isPositiveInteger });

/** An environment variable name as POSIX shells write it. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const isEnvNameArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string' && ENV_NAME_PATTERN.test(item));

const hasValidDependencies = (value: unknown): boolean => dependencyProblems(value).length === 0;

const absentOr = (value: unknown, rule: (value: unknown) => boolean): boolean => value === undefined || rule(value);

export function satisfiesEveryRule(metadata: PluginMetadata): boolean {
  return (
    isPluginName(metadata.name) &&
    isSemverVersion(metadata.version) &&
    absentOr(metadata.description, (value) => typeof value === 'string') &&
    absentOr(metadata.dependencies, hasValidDependencies) &&
    absentOr(metadata.entities, isClassArray) &&
    absentOr(metadata.migrations, isMigrationClassArray) &&
    absentOr(metadata.allowedTables, isNonEmptyStringArray) &&
    absentOr(metadata.allowedTopics, isTopicNameArray) &&
    absentOr(metadata.allowedBuckets, isNonEmptyStringArray) &&
    absentOr(metadata.permissions, isNonEmptyStringArray) &&
    absentOr(metadata.configSchema, isClass) &&
    absentOr(metadata.hostRange, isSemverRange) &&
    absentOr(metadata.isolation, isIsolationMode) &&
    absentOr(metadata.resourceLimits, isIsolationLimits) &&
    absentOr(metadata.restart, isRestartOptions) &&
    absentOr(metadata.env, isEnvNameArray)
  );
}
