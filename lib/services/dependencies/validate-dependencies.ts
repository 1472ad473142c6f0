import validRange from 'semver/ranges/valid.js';
import { InvalidDependencyRegistrationError } from '../../errors/service.errors.js';
import { describeValue } from '../../metadata/problem-text.js';
import type { DependencyRegistration } from './service-dependency.types.js';

/** Checks dependency registrations that may come straight from JSON; every problem is reported at once. */
export function validateDependencies(input: unknown): DependencyRegistration[] {
  if (!Array.isArray(input)) throw new InvalidDependencyRegistrationError([`dependencies must be an array (got ${describeValue(input)})`]);
  const problems = input.flatMap((dependency, index) => checkDependency(dependency, `dependencies[${index}]`));
  if (problems.length > 0) throw new InvalidDependencyRegistrationError(problems);
  return input as DependencyRegistration[];
}

function checkDependency(dependency: unknown, where: string): string[] {
  if (typeof dependency !== 'object' || dependency === null || Array.isArray(dependency)) {
    return [`${where} must be an object (got ${describeValue(dependency)})`];
  }
  const { pluginId, dependsOnPluginId, version, required, reason } = dependency as Record<string, unknown>;
  const problems: string[] = [];
  if (!isNonEmptyString(pluginId)) problems.push(`${where}.pluginId must be a non-empty string (got ${describeValue(pluginId)})`);
  if (!isNonEmptyString(dependsOnPluginId)) {
    problems.push(`${where}.dependsOnPluginId must be a non-empty string (got ${describeValue(dependsOnPluginId)})`);
  } else if (dependsOnPluginId === pluginId) {
    problems.push(`${where}: plugin "${pluginId}" cannot depend on itself`);
  }
  if (typeof version !== 'string' || validRange(version) === null) problems.push(`${where}.version must be a semver range (got ${describeValue(version)})`);
  if (required !== undefined && typeof required !== 'boolean') problems.push(`${where}.required must be a boolean (got ${describeValue(required)})`);
  if (reason !== undefined && typeof reason !== 'string') problems.push(`${where}.reason must be a string (got ${describeValue(reason)})`);
  return problems;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
