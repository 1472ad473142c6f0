import { didYouMeanHint } from './did-you-mean-hint.js';
import { PluginError } from './plugin.error.js';

export class PluginNotActiveError extends PluginError {
  readonly code = 'PLUGIN_NOT_ACTIVE';

  override get httpStatus(): number {
    return 404;
  }

  /** `didYouMean`: a registered plugin whose name is close to an unregistered `pluginName`. */
  constructor(
    readonly pluginName: string,
    readonly didYouMean?: string,
  ) {
    super(`Plugin "${pluginName}" is not active${didYouMeanHint(didYouMean)}`);
  }
}

export class MethodNotExposedError extends PluginError {
  readonly code = 'PLUGIN_METHOD_NOT_EXPOSED';

  override get httpStatus(): number {
    return 404;
  }

  constructor(
    readonly pluginName: string,
    readonly methodName: string,
    /** an exposed method of the plugin whose name is close to `methodName` */
    readonly didYouMean?: string,
  ) {
    super(`Plugin "${pluginName}" has no method "${methodName}"${didYouMeanHint(didYouMean)}`);
  }
}

export class UndeclaredDependencyError extends PluginError {
  readonly code = 'PLUGIN_UNDECLARED_DEPENDENCY';

  override get httpStatus(): number {
    return 403;
  }

  constructor(
    readonly pluginName: string,
    readonly dependencyName: string,
    /** a declared dependency whose name is close to `dependencyName` */
    readonly didYouMean?: string,
  ) {
    super(`Plugin "${pluginName}" did not declare a dependency on "${dependencyName}"${didYouMeanHint(didYouMean)}`);
  }
}

export class ContextInvalidatedError extends PluginError {
  readonly code = 'PLUGIN_CONTEXT_INVALIDATED';

  constructor(readonly pluginName: string) {
    super(`Context of plugin "${pluginName}" is no longer valid (plugin was unloaded)`);
  }
}
