import { Injectable } from '@nestjs/common';
import { Expose, InjectPluginContext, InjectPluginRepository, type PluginContext } from 'nestjs-plugins';
import type { Repository } from 'typeorm';
import { summarizePipeline, type PipelineSummary } from './pipeline-summary.js';
import { ReportRun } from './report-run.entity.js';

export interface PipelineReport extends PipelineSummary {
  /** how many reports were computed so far, this one included */
  runs: number;
}

/** Reports on crm's pipeline. crm is reached only through its exposed methods, never its tables. */
@Injectable()
export class PipelineReportService {
  constructor(
    @InjectPluginContext() private readonly ctx: PluginContext,
    @InjectPluginRepository(ReportRun) private readonly reportRuns: Repository<ReportRun>,
  ) {}

  @Expose()
  async pipelineReport(): Promise<PipelineReport> {
    const [contacts, deals] = await Promise.all([this.ctx.call('crm', 'listContacts'), this.ctx.call('crm', 'listDeals')]);
    const summary = summarizePipeline(contacts, deals);
    await this.reportRuns.insert({ totalWon: summary.wonTotal });
    return { ...summary, runs: await this.countRuns() };
  }

  /** Raw SQL on analytics' own table, written with its unprefixed name; the library runs it on `analytics_report_runs`. */
  private async countRuns(): Promise<number> {
    const [row] = await this.ctx.database.executeQuery<{ runs: number | string }[]>('SELECT COUNT(*) AS runs FROM report_runs');
    // PostgreSQL returns COUNT(*) as a string (bigint); SQLite as a number.
    return Number(row!.runs);
  }
}
