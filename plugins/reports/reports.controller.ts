import { Controller, Get, UseFilters } from '@nestjs/common';
import { InventoryUnavailableFilter } from './inventory-unavailable.filter.js';
import { StockReportService } from './stock-report.service.js';
import type { StockReport } from './stock-summary.js';

/**
 * Mounted by the library under `/plugins/reports/`. The tenant is the request's
 * `X-Tenant-Slug`: the library's interceptor runs the handler in that tenant's context.
 */
@Controller()
@UseFilters(InventoryUnavailableFilter)
export class ReportsController {
  constructor(private readonly reports: StockReportService) {}

  @Get('stock')
  stock(): Promise<StockReport> {
    return this.reports.stockReport();
  }
}
