import { PluginKeyClaimError } from '../../../lib/errors/gateway-key.errors.js';
import { actingPluginId, OPERATOR, type GatewayCaller } from '../../../lib/gateway-module/keys/gateway-caller.js';

const alpha: GatewayCaller = { kind: 'plugin', pluginId: 'alpha' };

describe('actingPluginId', () => {
  it("acts as a plugin key's own plugin, whether the request names it or not", () => {
    expect(actingPluginId(alpha)).toBe('alpha');
    expect(actingPluginId(alpha, { pluginId: undefined, source: 'ownerId' }, { pluginId: '', source: 'X-Caller-Plugin-ID' })).toBe('alpha');
    expect(actingPluginId(alpha, { pluginId: 'alpha', source: 'callerPluginId' }, { pluginId: 'alpha', source: 'X-Caller-Plugin-ID' })).toBe('alpha');
  });

  it('refuses a plugin key naming another plugin anywhere, saying where', () => {
    const claim = () => actingPluginId(alpha, { pluginId: 'alpha', source: 'callerPluginId' }, { pluginId: 'beta', source: 'X-Caller-Plugin-ID' });
    expect(claim).toThrow(PluginKeyClaimError);
    expect(claim).toThrow('The key of plugin "alpha" may not act as "beta" (X-Caller-Plugin-ID); use the operator key to act for another plugin');
  });

  it('lets the operator act as the first plugin named, or none', () => {
    expect(actingPluginId(OPERATOR)).toBeUndefined();
    expect(actingPluginId(OPERATOR, { pluginId: '', source: 'callerPluginId' })).toBeUndefined();
    expect(actingPluginId(OPERATOR, { pluginId: 'beta', source: 'callerPluginId' }, { pluginId: 'gamma', source: 'X-Caller-Plugin-ID' })).toBe('beta');
    expect(actingPluginId(OPERATOR, { pluginId: undefined, source: 'callerPluginId' }, { pluginId: 'gamma', source: 'X-Caller-Plugin-ID' })).toBe('gamma');
  });

  it('gives the refusal a stable code', () => {
    expect(new PluginKeyClaimError('alpha', 'beta', 'ownerId').code).toBe('PLUGIN_KEY_CLAIM_MISMATCH');
  });
});
