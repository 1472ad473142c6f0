import { valid } from 'semver';
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

export const isClassArray = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'function');

export const isNonEmptyStringArray = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);

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
    absentOr(metadata.allowedTopics, isNonEmptyStringArray) &&
    absentOr(metadata.allowedBuckets, isNonEmptyStringArray) &&
    absentOr(metadata.permissions, isNonEmptyStringArray)
  );
}
