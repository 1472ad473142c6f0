import { Controller, Get } from '@nestjs/common';
import { PipelineReportService, type PipelineReport } from './pipeline-report.service.js';

/** Mounted by the library under `/plugins/analytics/`. */
@Controller()
export class AnalyticsController {
  constructor(private readonly reports: PipelineReportService) {}

  @Get('report')
  report(): Promise<PipelineReport> {
    return this.reports.pipelineReport();
  }
}
