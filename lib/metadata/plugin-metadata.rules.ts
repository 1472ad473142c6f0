import { valid, validRange } from 'semver';
import { dependencyProblems } from './plugin-dependencies.constraint.js';
import { isPluginName } from './problem-text.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';

/**
 * The rule of each metadata field, as plain predicates. The class-validator schema uses
 * them to report problems; `satisfiesEveryRule` uses them to skip class-validator for the
 * (usual) valid metadata, since a validateSync call costs about 20 µs and boot validates
 * every plugin.
 */

export const isSemverVersion = (value: unknown): boolean => typeof value === 'string' && valid(value) !== null;

export const isSemverRange = (value: unknown): boolean => typeof value === 'string' && validRange(value) !== null;

export const isClass = (value: unknown): boolean => typeof value === 'function';

export const isClassArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'function');

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

/** A topic name, or `{ name, durable }` (a durable topic, SPEC §12). */
export const isTopicDeclaration = (value: unknown): boolean =>
  isTopicName(value) ||
  (typeof value === 'object' &&
    value !== null &&
    isTopicName((value as { name?: unknown }).name) &&
    ['undefined', 'boolean'].includes(typeof (value as { durable?: unknown }).durable) &&
    Object.keys(value).every((field) => field === 'name' || field === 'durable'));

export const isTopicNameArray = (value: unknown): boolean => Array.isArray(value) && value.every(isTopicDeclaration);

const hasValidDependencies = (value: unknown): boolean => dependencyProblems(value).length === 0;

const absentOr = (value: unknown, rule: (value: unknown) => boolean): boolean => value === undefined || rule(value);

export function satisfiesEveryRule(metadata: PluginMetadata): boolean {
  return (
    isPluginName(metadata.name) &&
    isSemverVersion(metadata.version) &&
    absentOr(metadata.description, (value) => typeof value === 'string') &&
    absentOr(metadata.dependencies, hasValidDependencies) &&
    absentOr(metadata.entities, isClassArray) &&
    absentOr(metadata.allowedTables, isNonEmptyStringArray) &&
    absentOr(metadata.allowedTopics, isTopicNameArray) &&
    absentOr(metadata.allowedBuckets, isNonEmptyStringArray) &&
    absentOr(metadata.permissions, isNonEmptyStringArray) &&
    absentOr(metadata.configSchema, isClass) &&
    absentOr(metadata.hostRange, isSemverRange)
  );
}
