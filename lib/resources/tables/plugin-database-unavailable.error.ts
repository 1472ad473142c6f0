import { PluginError } from '../../errors/plugin.error.js';

/** A plugin uses tables in an application without a TypeORM DataSource. */
export class PluginDatabaseUnavailableError extends PluginError {
  readonly code = 'PLUGIN_DATABASE_UNAVAILABLE';

  constructor(readonly pluginName: string) {
    super(
      `Plugin "${pluginName}" uses tables, but the application has no TypeORM DataSource: import TypeOrmModule.forRoot(...) from @nestjs/typeorm`,
    );
  }
}
