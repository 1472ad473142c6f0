import type { PluginGatewayModuleOptions } from '../plugin-gateway-module.options.js';

const PREFIX = 'PluginGatewayModule.forRoot';

/**
 * Refuses options that would leave the routes open or keys ambiguous. Messages name plugin
 * ids, never a key: they end up in start-up logs.
 */
export function validateGatewayOptions(options: PluginGatewayModuleOptions): void {
  const { apiKey, pluginKeys, allowAnonymous } = options;
  if (allowAnonymous === true) {
    if (pluginKeys !== undefined) {
      throw new Error(`${PREFIX}: pluginKeys need an apiKey; with allowAnonymous: true every request acts as the operator, so a plugin key would restrict nothing`);
    }
    return;
  }
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new Error(`${PREFIX} needs an apiKey, or allowAnonymous: true to serve the routes without one`);
  }
  if (pluginKeys === undefined) return;
  if (typeof pluginKeys !== 'object' || pluginKeys === null || Array.isArray(pluginKeys)) {
    throw new Error(`${PREFIX}: pluginKeys must be an object mapping plugin ids to keys`);
  }
  const holders = new Map<string, string>();
  for (const [pluginId, key] of Object.entries(pluginKeys)) {
    if (pluginId.trim() === '') throw new Error(`${PREFIX}: pluginKeys has an empty plugin id`);
    // HTTP strips the whitespace around header values: such a key could never be sent.
    if (typeof key !== 'string' || key.trim() === '' || key.trim() !== key) {
      throw new Error(`${PREFIX}: the key of plugin "${pluginId}" must be a non-empty string without surrounding whitespace`);
    }
    if (key === apiKey) throw new Error(`${PREFIX}: the key of plugin "${pluginId}" is the operator's apiKey; give each plugin its own key`);
    const holder = holders.get(key);
    if (holder !== undefined) throw new Error(`${PREFIX}: plugins "${holder}" and "${pluginId}" have the same key; give each plugin its own key`);
    holders.set(key, pluginId);
  }
}
