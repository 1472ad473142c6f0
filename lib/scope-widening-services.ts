/**
 * Host services that can widen or step around a plugin's scope: `PluginManager` can rewrite a
 * plugin's resource overrides (map its table to any table), `PluginResources` holds the
 * DataSource, `SharedDataService` writes as any owner, `PluginRegistry` and `PluginGateway`
 * call any plugin; Nest's `ModuleRef`, `ModulesContainer`, `DiscoveryService`,
 * `LazyModuleLoader` and `HttpAdapterHost` reach every provider or the HTTP server. A plugin
 * that injects one (or imports such a module, `DiscoveryModule`) is refused like one injecting
 * `DataSource`, unless trusted. Kept in a leaf module: PluginModule fills it, the registration
 * check reads it, and neither has to import the other's folder.
 */
const scopeWideningServices = new Map<unknown, string>();

export function markScopeWideningServices(...services: Function[]): void {
  for (const service of services) scopeWideningServices.set(service, service.name);
}

/** A token that is not a class (`PLUGIN_EVENT_EMITTER`), under the name the error gives it. */
export function markScopeWideningToken(token: unknown, name: string): void {
  scopeWideningServices.set(token, name);
}

/** The service's name when `token` is one of them (or the module's, for a module class). */
export function scopeWideningServiceName(token: unknown): string | undefined {
  return scopeWideningServices.get(token);
}
