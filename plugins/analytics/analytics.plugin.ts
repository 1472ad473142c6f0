import { Plugin } from 'nestjs-plugins';
import { AnalyticsController } from './analytics.controller.js';
import { PipelineReportService } from './pipeline-report.service.js';
import { ReportRun } from './report-run.entity.js';
import { CreateReportRuns1765000000000 } from './migrations/1765000000000-create-report-runs.js';

/** Pipeline reports computed from crm's exposed methods; keeps a log of its runs in its own table. */
@Plugin({
  name: 'analytics',
  version: '1.0.0',
  description: 'Pipeline reports on crm',
  dependencies: [{ name: 'crm', version: '^1.0.0', reason: 'reports on its contacts and deals' }],
  entities: [ReportRun],
  migrations: [CreateReportRuns1765000000000],
  allowedTables: ['report_runs'],
  providers: [PipelineReportService],
  controllers: [AnalyticsController],
})
export class AnalyticsPlugin {}

export default AnalyticsPlugin;
