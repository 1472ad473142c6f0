import { PluginError } from './plugin.error.js';

export class PluginHasDependentsError extends PluginError {
  readonly code = 'PLUGIN_HAS_DEPENDENTS';

  override get httpStatus(): number {
    return 409;
  }

  constructor(
    readonly pluginName: string,
    readonly dependents: readonly string[],
  ) {
    super(`Cannot unload "${pluginName}": required by ${dependents.join(', ')}`);
  }
}
