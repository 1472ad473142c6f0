import { PluginError } from './plugin.error.js';

export class PluginPermissionError extends PluginError {
  readonly code = 'PLUGIN_PERMISSION_DENIED';

  override get httpStatus(): number {
    return 403;
  }

  constructor(
    readonly callerPluginId: string,
    readonly permission: string,
    readonly pluginName: string,
    readonly methodName: string,
  ) {
    super(`Plugin "${callerPluginId}" lacks permission "${permission}" to call "${pluginName}.${methodName}"`);
  }
}

export class PluginCallTimeoutError extends PluginError {
  readonly code = 'PLUGIN_CALL_TIMEOUT';

  override get httpStatus(): number {
    return 504;
  }

  constructor(
    readonly pluginName: string,
    readonly methodName: string,
    readonly timeoutMs: number,
  ) {
    super(`Call to "${pluginName}.${methodName}" did not settle within ${timeoutMs} ms`);
  }
}

export class PluginArgumentValidationError extends PluginError {
  readonly code = 'PLUGIN_INVALID_ARGUMENTS';

  override get httpStatus(): number {
    return 400;
  }

  /** @param problems one line per failed constraint, e.g. `argument 0 (NewContact): email must be an email` */
  constructor(
    readonly pluginName: string,
    readonly methodName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid arguments for "${pluginName}.${methodName}": ${problems.join('; ')}`);
  }
}

/** Plugin code named another plugin as the caller (`PluginGateway.call({ callerPluginId })`, an owner id): it may only act as itself. */
export class CallerMismatchError extends PluginError {
  readonly code = 'PLUGIN_CALLER_MISMATCH';

  constructor(
    readonly pluginName: string,
    readonly claimedPluginId: string,
  ) {
    super(`Plugin "${pluginName}" may not call as "${claimedPluginId}"`);
  }
}
