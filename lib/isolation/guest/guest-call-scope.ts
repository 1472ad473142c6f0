import { PluginCallContext } from '../../context/plugin-call-context.js';
import type { WireCallScope } from '../guest-protocol.js';

/** The caller of the code running now, as the host named it, with its tenant: what a log line says it was written for. */
export function currentLogScope(): WireCallScope {
  return PluginCallContext.current();
}

/** The tenant of the code running now, for requests to the host; the caller is the host's to say. */
export function currentTenantScope(): WireCallScope {
  const { tenantId, tenantSlug } = PluginCallContext.current();
  return { ...(tenantId === undefined ? {} : { tenantId }), ...(tenantSlug === undefined ? {} : { tenantSlug }) };
}
