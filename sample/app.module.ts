import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginModule } from 'nestjs-plugins';
import { CacheServicePlugin } from '../plugins/cache-service/cache-service.plugin.js';
import { LeaderboardPlugin } from '../plugins/leaderboard/leaderboard.plugin.js';
import { UserUtilsPlugin } from '../plugins/user-utils/user-utils.plugin.js';
import { AdminController } from './admin.controller.js';
import { PluginsController } from './plugins.controller.js';

@Module({
  imports: [
    // Not used by these plugins yet: scoped plugin tables build on it.
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.DATABASE_PATH ?? 'data/app.sqlite',
      autoLoadEntities: true,
      synchronize: true,
    }),
    EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
    // Deliberately not in dependency order: the library starts user-utils before leaderboard.
    // PLUGINS_DIR adds every compiled *.plugin.js below it (the listed ones are not loaded twice).
    PluginModule.forRoot({ plugins: [LeaderboardPlugin, UserUtilsPlugin, CacheServicePlugin], pluginsDir: process.env.PLUGINS_DIR }),
  ],
  controllers: [PluginsController, AdminController],
})
export class AppModule {}
