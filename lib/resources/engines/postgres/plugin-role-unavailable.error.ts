import { PluginError } from '../../../errors/plugin.error.js';

/** The plugin's PostgreSQL role cannot be created, trusted or assumed: its raw SQL does not run (fail closed). */
export class PluginRoleUnavailableError extends PluginError {
  readonly code = 'PLUGIN_ROLE_UNAVAILABLE';

  constructor(
    readonly pluginName: string,
    readonly role: string,
    readonly reason: string,
  ) {
    super(`Plugin "${pluginName}" cannot run raw SQL: its database role "${role}" ${reason} (see docs/postgres-roles.md)`);
  }
}
