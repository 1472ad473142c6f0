import { didYouMeanHint } from './did-you-mean-hint.js';
import { PluginError } from './plugin.error.js';

/** Describes a range for messages: a bare dependency accepts any version. */
function describeRange(range: string | undefined): string {
  return range === undefined || range === '*' ? 'any version' : range;
}

export class MissingDependencyError extends PluginError {
  readonly code = 'PLUGIN_MISSING_DEPENDENCY';

  constructor(
    readonly pluginName: string,
    readonly dependencyName: string,
    readonly range?: string,
    /** an installed plugin whose name is close to `dependencyName` */
    readonly didYouMean?: string,
  ) {
    super(`Plugin "${pluginName}" requires "${dependencyName}" (${describeRange(range)}), which is not installed${didYouMeanHint(didYouMean)}`);
  }
}

export class VersionMismatchError extends PluginError {
  readonly code = 'PLUGIN_VERSION_MISMATCH';

  constructor(
    readonly pluginName: string,
    readonly dependencyName: string,
    readonly actualVersion: string,
    readonly range: string,
  ) {
    super(`Version mismatch: ${dependencyName}@${actualVersion} does not satisfy ${range} (required by ${pluginName})`);
  }
}

export class CircularDependencyError extends PluginError {
  readonly code = 'PLUGIN_CIRCULAR_DEPENDENCY';

  /** `cycle` starts and ends with the same plugin: `['a', 'b', 'a']`. */
  constructor(readonly cycle: readonly string[]) {
    super(`Circular dependency detected: ${cycle.join(' -> ')}`);
  }

  get pluginName(): string {
    return this.cycle[0];
  }
}

/** A plugin whose `hostRange` the host's `hostVersion` does not satisfy (npm's prerelease rule). */
export class HostVersionMismatchError extends PluginError {
  readonly code = 'PLUGIN_HOST_VERSION_MISMATCH';

  constructor(
    readonly pluginName: string,
    readonly range: string,
    readonly hostVersion: string,
  ) {
    super(`Plugin "${pluginName}" requires host ${range}, but the host is ${hostVersion}`);
  }
}

export type DependencyProblem = MissingDependencyError | VersionMismatchError | CircularDependencyError | HostVersionMismatchError;

/** Every problem one resolution found, reported together. */
export class PluginResolutionError extends PluginError {
  readonly code = 'PLUGIN_RESOLUTION_FAILED';

  override get httpStatus(): number {
    return 422;
  }

  constructor(readonly errors: readonly DependencyProblem[]) {
    super(
      errors.length === 1
        ? `Plugin dependency resolution failed: ${errors[0].message}`
        : `Plugin dependency resolution failed with ${errors.length} errors:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
}
