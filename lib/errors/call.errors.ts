import { PluginError } from './plugin.error.js';

export class PluginNotActiveError extends PluginError {
  readonly code = 'PLUGIN_NOT_ACTIVE';

  constructor(readonly pluginName: string) {
    super(`Plugin "${pluginName}" is not active`);
  }
}

export class MethodNotExposedError extends PluginError {
  readonly code = 'PLUGIN_METHOD_NOT_EXPOSED';

  constructor(
    readonly pluginName: string,
    readonly methodName: string,
  ) {
    super(`Plugin "${pluginName}" has no method "${methodName}"`);
  }
}

export class UndeclaredDependencyError extends PluginError {
  readonly code = 'PLUGIN_UNDECLARED_DEPENDENCY';

  constructor(
    readonly pluginName: string,
    readonly dependencyName: string,
  ) {
    super(`Plugin "${pluginName}" did not declare a dependency on "${dependencyName}"`);
  }
}

export class ContextInvalidatedError extends PluginError {
  readonly code = 'PLUGIN_CONTEXT_INVALIDATED';

  constructor(readonly pluginName: string) {
    super(`Context of plugin "${pluginName}" is no longer valid (plugin was unloaded)`);
  }
}
