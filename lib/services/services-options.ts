/** Injection token of the services layer's options (service registry, gateway). */
export const PLUGIN_SERVICES_OPTIONS = Symbol('nestjs-plugins:ServicesOptions');

export interface PluginServicesOptions {
  /** heartbeat period after which a remote service is DEGRADED; UNAVAILABLE after twice that (default 30000) */
  staleAfterMs?: number;
  /** gateway call timeout (default 5000) */
  gatewayTimeoutMs?: number;
  /** clock, for tests */
  now?: () => number;
}

export type ResolvedServicesOptions = Required<PluginServicesOptions>;

export function resolveServicesOptions(options: PluginServicesOptions | undefined): ResolvedServicesOptions {
  return {
    staleAfterMs: options?.staleAfterMs ?? 30_000,
    gatewayTimeoutMs: options?.gatewayTimeoutMs ?? 5_000,
    now: options?.now ?? Date.now,
  };
}
