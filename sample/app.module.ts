import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { AnalyticsPlugin } from '../plugins/analytics/analytics.plugin.js';
import { CacheServicePlugin } from '../plugins/cache-service/cache-service.plugin.js';
import { CrmPlugin } from '../plugins/crm/crm.plugin.js';
import { LeaderboardPlugin } from '../plugins/leaderboard/leaderboard.plugin.js';
import { ReportsPlugin } from '../plugins/reports/reports.plugin.js';
import { UserUtilsPlugin } from '../plugins/user-utils/user-utils.plugin.js';
import { WordStatsPlugin } from '../plugins/word-stats/word-stats.plugin.js';
import { AdminController } from './admin.controller.js';
import { HealthController } from './health.controller.js';
import { PluginsController } from './plugins.controller.js';
import { databaseOptions, deploymentOptions } from './deployment.js';
import { PLUGIN_REGISTRY_URL, registryOptions } from './plugin-registry.js';
import { RUNTIME_PLUGINS_DIR } from './runtime-plugins.js';

@Module({
  imports: [
    // The plugins' tables live here, under prefixed names; the library registers their entities itself.
    // A SQLite file by default; PostgreSQL when DATABASE_URL is set (several instances, see deployment.ts).
    TypeOrmModule.forRoot(databaseOptions()),
    EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
    // Deliberately not in dependency order: the library starts user-utils before leaderboard and crm before analytics.
    // PLUGINS_DIR adds every compiled *.plugin.js below it (the listed ones are not loaded twice).
    // `packages` come from node_modules: greeting is installed from plugins/packages/greeting (a file: dependency),
    // unless PLUGIN_REGISTRY_URL is set: then it is installed from that registry at runtime (plugin-registry.ts).
    // forRootAsync: cluster mode may need a NATS connection first.
    PluginModule.forRootAsync({
      plugins: [LeaderboardPlugin, UserUtilsPlugin, CacheServicePlugin, AnalyticsPlugin, CrmPlugin, ReportsPlugin, WordStatsPlugin],
      pluginsDir: process.env.PLUGINS_DIR,
      packages: PLUGIN_REGISTRY_URL === undefined ? ['@nestjs-plugins-sample/greeting'] : [],
      // reports calls the remote inventory service through PluginGateway, which the context does
      // not offer: injecting it needs trust. Its calls still act as "reports" (docs/security.md).
      trustedPlugins: ['reports'],
      useFactory: async () => ({ ...(await deploymentOptions()), ...registryOptions() }),
    }),
    // The host over REST under /api/plugin-gateway: remote plugins (sample/inventory) register here.
    // console: the admin page at /api/plugin-gateway/console, opened with the same key.
    PluginGatewayModule.forRoot({ apiKey: process.env.GATEWAY_API_KEY ?? 'dev-key', runtimePluginsDir: RUNTIME_PLUGINS_DIR, console: true }),
    TerminusModule,
  ],
  controllers: [PluginsController, AdminController, HealthController],
})
export class AppModule {}
