import { validateGatewayOptions } from '../../../lib/gateway-module/keys/validate-gateway-options.js';
import type { PluginGatewayModuleOptions } from '../../../lib/gateway-module/plugin-gateway-module.options.js';

const API_KEY = 'operator-secret';

/** The message `options` are refused with; fails when they are accepted. */
function refusal(options: PluginGatewayModuleOptions): string {
  try {
    validateGatewayOptions(options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the options to be refused');
}

describe('validateGatewayOptions', () => {
  it('accepts an operator key alone, with distinct plugin keys, or anonymous access without plugin keys', () => {
    expect(() => validateGatewayOptions({ apiKey: API_KEY })).not.toThrow();
    expect(() => validateGatewayOptions({ apiKey: API_KEY, pluginKeys: { alpha: 'alpha-secret', beta: 'beta-secret' } })).not.toThrow();
    expect(() => validateGatewayOptions({ allowAnonymous: true })).not.toThrow();
  });

  it('refuses routes without a key unless anonymous access is explicit', () => {
    expect(refusal({})).toBe('PluginGatewayModule.forRoot needs an apiKey, or allowAnonymous: true to serve the routes without one');
    expect(refusal({ apiKey: '' })).toBe('PluginGatewayModule.forRoot needs an apiKey, or allowAnonymous: true to serve the routes without one');
  });

  it.each<[string, PluginGatewayModuleOptions, string]>([
    ['a non-object', { apiKey: API_KEY, pluginKeys: ['alpha-secret'] as unknown as Record<string, string> }, 'pluginKeys must be an object mapping plugin ids to keys'],
    ['an empty plugin id', { apiKey: API_KEY, pluginKeys: { ' ': 'alpha-secret' } }, 'pluginKeys has an empty plugin id'],
    ['an empty key', { apiKey: API_KEY, pluginKeys: { alpha: '' } }, 'the key of plugin "alpha" must be a non-empty string without surrounding whitespace'],
    ['a key that is not a string', { apiKey: API_KEY, pluginKeys: { alpha: 42 as unknown as string } }, 'the key of plugin "alpha" must be a non-empty string without surrounding whitespace'],
    ['a key HTTP would trim', { apiKey: API_KEY, pluginKeys: { alpha: 'alpha-secret\t' } }, 'the key of plugin "alpha" must be a non-empty string without surrounding whitespace'],
    ['the operator key', { apiKey: API_KEY, pluginKeys: { alpha: 'alpha-secret', beta: API_KEY } }, 'the key of plugin "beta" is the operator\'s apiKey; give each plugin its own key'],
    ['a shared key', { apiKey: API_KEY, pluginKeys: { alpha: 'same-secret', beta: 'other-secret', gamma: 'same-secret' } }, 'plugins "alpha" and "gamma" have the same key; give each plugin its own key'],
    ['plugin keys with anonymous access', { allowAnonymous: true, pluginKeys: { alpha: 'alpha-secret' } }, 'pluginKeys need an apiKey; with allowAnonymous: true every request acts as the operator, so a plugin key would restrict nothing'],
  ])('refuses %s, naming the plugin and never a key', (_case, options, message) => {
    const refused = refusal(options);
    expect(refused).toBe(`PluginGatewayModule.forRoot: ${message}`);
    expect(refused).not.toMatch(/secret/);
  });
});
