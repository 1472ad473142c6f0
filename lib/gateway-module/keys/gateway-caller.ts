import { PluginKeyClaimError, type PluginClaimSource } from '../../errors/gateway-key.errors.js';

/** Who a gateway request comes from, by the key it sent: the operator, or one plugin. */
export type GatewayCaller = { readonly kind: 'operator' } | { readonly kind: 'plugin'; readonly pluginId: string };

export const OPERATOR: GatewayCaller = { kind: 'operator' };

/** A plugin a request names as its caller or owner, and where it named it. */
export interface PluginClaim {
  readonly pluginId: string | undefined;
  readonly source: PluginClaimSource;
}

/**
 * The plugin a request acts as. A plugin's key acts as its own plugin, whatever the request
 * omits, and any claim naming another plugin is refused with `PluginKeyClaimError`. The
 * operator acts as the plugin the first claim present names (undefined when none is).
 * Empty claims count as absent.
 */
export function actingPluginId(caller: GatewayCaller, ...claims: PluginClaim[]): string | undefined {
  const present = claims.filter((claim): claim is PluginClaim & { pluginId: string } => claim.pluginId !== undefined && claim.pluginId !== '');
  if (caller.kind === 'operator') return present[0]?.pluginId;
  const foreign = present.find((claim) => claim.pluginId !== caller.pluginId);
  if (foreign !== undefined) throw new PluginKeyClaimError(caller.pluginId, foreign.pluginId, foreign.source);
  return caller.pluginId;
}
