import satisfies from 'semver/functions/satisfies.js';
import { VersionMismatchError } from '../../errors/resolution.errors.js';
import type { DependencyStatus, ServiceDependency } from './service-dependency.types.js';

/**
 * Whether one of `foundVersions` (of active local plugins and HEALTHY remote services with
 * the dependency's id, best candidates first) satisfies the dependency's range.
 */
export function dependencyStatus(dependency: ServiceDependency, foundVersions: readonly string[]): DependencyStatus {
  const { dependsOnPluginId, version, required } = dependency;
  const status = { dependsOnPluginId, version, required };
  const match = foundVersions.find((found) => satisfies(found, version));
  if (match !== undefined) return { ...status, available: true, foundVersion: match };
  if (foundVersions.length === 0) {
    return { ...status, available: false, problem: `"${dependsOnPluginId}" is not available (no active plugin or healthy service)` };
  }
  const [foundVersion] = foundVersions;
  return { ...status, available: false, foundVersion, problem: new VersionMismatchError(dependency.pluginId, dependsOnPluginId, foundVersion, version).message };
}
