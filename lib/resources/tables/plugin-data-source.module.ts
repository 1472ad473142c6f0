import { Module, type DynamicModule } from '@nestjs/common';
import { PLUGIN_DATA_SOURCE } from '../../constants.js';

@Module({})
export class PluginDataSourceModule {}

/**
 * Makes the application's default TypeORM DataSource injectable as PLUGIN_DATA_SOURCE, or
 * null. TypeORM is optional, so its class (the DataSource's injection token in
 * @nestjs/typeorm) is imported only here, and only if it is installed.
 */
export async function createPluginDataSourceModule(): Promise<DynamicModule> {
  const typeorm = await import('typeorm').catch(() => undefined);
  return {
    module: PluginDataSourceModule,
    global: true,
    providers: [
      typeorm === undefined
        ? { provide: PLUGIN_DATA_SOURCE, useValue: null }
        : {
            provide: PLUGIN_DATA_SOURCE,
            useFactory: (dataSource?: unknown) => dataSource ?? null,
            inject: [{ token: typeorm.DataSource, optional: true }],
          },
    ],
    exports: [PLUGIN_DATA_SOURCE],
  };
}
