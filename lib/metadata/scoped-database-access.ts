import { UnscopedDatabaseAccessError } from '../errors/index.js';
import { findDatabaseDoors } from './database-doors.js';
import { getPluginMetadata, type PluginClass } from './plugin-metadata.accessor.js';
import { NEST_SCOPE_WIDENING_SERVICES, type ScopeWideningServices } from './scope-widening-services.js';

/**
 * Fails with `UnscopedDatabaseAccessError` when an untrusted plugin would reach the database
 * through Nest rather than its scoped resources: the given plugins and every plugin module
 * they import, even one registered nowhere (Nest would build it all the same), each under
 * its own name. Reads metadata only: run it before Nest builds the plugins.
 */
export async function assertScopedDatabaseAccess(
  pluginClasses: Iterable<PluginClass>,
  trusted: ReadonlySet<string>,
  scopeWidening: ScopeWideningServices = NEST_SCOPE_WIDENING_SERVICES,
): Promise<void> {
  const pending = [...pluginClasses];
  const seen = new Set<Function>(pending);
  for (let pluginClass = pending.shift(); pluginClass !== undefined; pluginClass = pending.shift()) {
    const { doors, importedPlugins } = await findDatabaseDoors(pluginClass, scopeWidening);
    const name = getPluginMetadata(pluginClass)!.name;
    if (doors.length > 0 && !trusted.has(name)) throw new UnscopedDatabaseAccessError(name, doors.join(', '));
    for (const imported of importedPlugins) {
      if (!seen.has(imported)) {
        seen.add(imported);
        pending.push(imported);
      }
    }
  }
}
