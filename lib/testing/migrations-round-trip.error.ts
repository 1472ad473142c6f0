import { PluginError } from '../errors/plugin.error.js';

/** `expectMigrationsRoundTrip` found a migration whose `down` does not undo its `up`, or one that fails. */
export class MigrationsRoundTripError extends PluginError {
  readonly code = 'PLUGIN_MIGRATIONS_ROUND_TRIP';

  constructor(
    readonly pluginName: string,
    /** `sqlite` or `postgres` */
    readonly database: string,
    /** what went wrong, then one line per schema difference */
    readonly problems: readonly string[],
  ) {
    super(`Migrations of plugin "${pluginName}" do not round-trip on ${database}: ${problems.join('\n  ')}`);
  }
}
