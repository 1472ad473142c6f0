import { PluginError } from './plugin.error.js';

export class PluginHasDependentsError extends PluginError {
  readonly code = 'PLUGIN_HAS_DEPENDENTS';

  constructor(
    readonly pluginName: string,
    readonly dependents: readonly string[],
  ) {
    super(`Cannot unload "${pluginName}": required by ${dependents.join(', ')}`);
  }
}
