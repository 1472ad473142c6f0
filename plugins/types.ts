import type { PipelineReportService } from './analytics/pipeline-report.service.js';
import type { CacheServicePlugin } from './cache-service/cache-service.plugin.js';
import type { CrmService } from './crm/crm.service.js';
import type { LeaderboardPlugin } from './leaderboard/leaderboard.plugin.js';
import type { StockReportService } from './reports/stock-report.service.js';
import type { UserUtilsApi } from './user-utils/user-utils.api.js';

// Declares the plugins' APIs once, so `call()` and `get()` check method names, arguments and results.
declare module 'nestjs-plugins' {
  interface PluginTypes {
    'user-utils': UserUtilsApi;
    'cache-service': Pick<CacheServicePlugin, 'get' | 'set' | 'delete'>;
    // exposes nothing: any call to it is a compile error
    leaderboard: LeaderboardPlugin;
    // the exposed methods are on a provider, so the declaration names the provider's
    crm: Pick<CrmService, 'addContact' | 'listContacts' | 'addDeal' | 'listDeals' | 'dealsOf'>;
    analytics: Pick<PipelineReportService, 'pipelineReport'>;
    reports: Pick<StockReportService, 'stockReport'>;
  }
}
