/**
 * Host services that can widen or step around a plugin's scope: `PluginManager` can rewrite a
 * plugin's resource overrides (map its table to any table), `PluginResources` holds the
 * DataSource, `SharedDataService` writes as any owner, `ModuleRef` resolves anything in the
 * application. A plugin that injects one is refused like one injecting `DataSource`, unless
 * trusted. Kept in a leaf module: PluginModule fills it, the registration check reads it, and
 * neither has to import the other's folder.
 */
const scopeWideningServices = new Map<unknown, string>();

export function markScopeWideningServices(...services: Function[]): void {
  for (const service of services) scopeWideningServices.set(service, service.name);
}

/** The service's name when `token` is one of them. */
export function scopeWideningServiceName(token: unknown): string | undefined {
  return scopeWideningServices.get(token);
}
