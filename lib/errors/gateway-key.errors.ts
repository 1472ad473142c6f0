import { PluginError } from './plugin.error.js';

/** Where a request named a plugin other than the one its key belongs to. */
export type PluginClaimSource = 'callerPluginId' | 'X-Caller-Plugin-ID' | 'ownerId' | 'pluginId' | 'serviceId';

/** A request made with a plugin's key tried to act as another plugin. */
export class PluginKeyClaimError extends PluginError {
  readonly code = 'PLUGIN_KEY_CLAIM_MISMATCH';

  override get httpStatus(): number {
    return 403;
  }

  constructor(
    readonly pluginId: string,
    readonly claimedPluginId: string,
    readonly source: PluginClaimSource,
  ) {
    super(`The key of plugin "${pluginId}" may not act as "${claimedPluginId}" (${source}); use the operator key to act for another plugin`);
  }
}

/** A plugin's key was sent to a route only the operator's key may use. */
export class OperatorKeyRequiredError extends PluginError {
  readonly code = 'PLUGIN_OPERATOR_KEY_REQUIRED';

  override get httpStatus(): number {
    return 403;
  }

  constructor(readonly pluginId: string) {
    super(`Plugin "${pluginId}" may not use this route: it needs the operator key (apiKey of PluginGatewayModule.forRoot)`);
  }
}

/** A plugin's key tried to register a service name that another plugin's service holds: discovery would list the impostor. */
export class ServiceNameTakenError extends PluginError {
  readonly code = 'PLUGIN_SERVICE_NAME_TAKEN';

  override get httpStatus(): number {
    return 403;
  }

  constructor(
    readonly pluginId: string,
    readonly serviceName: string,
    readonly holderPluginId: string,
  ) {
    super(`The key of plugin "${pluginId}" may not register service "${serviceName}": plugin "${holderPluginId}" holds it; use the operator key to register it anyway`);
  }
}
