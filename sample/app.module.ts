import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginModule } from 'nestjs-plugins';
import { AnalyticsPlugin } from '../plugins/analytics/analytics.plugin.js';
import { CacheServicePlugin } from '../plugins/cache-service/cache-service.plugin.js';
import { CrmPlugin } from '../plugins/crm/crm.plugin.js';
import { LeaderboardPlugin } from '../plugins/leaderboard/leaderboard.plugin.js';
import { UserUtilsPlugin } from '../plugins/user-utils/user-utils.plugin.js';
import { AdminController } from './admin.controller.js';
import { PluginsController } from './plugins.controller.js';

@Module({
  imports: [
    // The plugins' tables live here, under prefixed names; the library registers their entities itself.
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.DATABASE_PATH ?? 'data/app.sqlite',
      synchronize: true,
    }),
    EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
    // Deliberately not in dependency order: the library starts user-utils before leaderboard and crm before analytics.
    // PLUGINS_DIR adds every compiled *.plugin.js below it (the listed ones are not loaded twice).
    PluginModule.forRoot({
      plugins: [LeaderboardPlugin, UserUtilsPlugin, CacheServicePlugin, AnalyticsPlugin, CrmPlugin],
      pluginsDir: process.env.PLUGINS_DIR,
    }),
  ],
  controllers: [PluginsController, AdminController],
})
export class AppModule {}
