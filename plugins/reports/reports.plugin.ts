import { Plugin } from 'nestjs-plugins';
import { ReportsController } from './reports.controller.js';
import { StockReportService } from './stock-report.service.js';

/**
 * Stock reports per tenant from `inventory`, a remote plugin: a separate process that
 * registers its service with the host over REST (sample/inventory). The dependency is
 * optional because no local plugin of that name exists at boot; the gateway still requires
 * it to be declared before reports may call inventory.
 */
@Plugin({
  name: 'reports',
  version: '1.0.0',
  description: 'Stock reports from the remote inventory service',
  dependencies: [{ name: 'inventory', optional: true, reason: 'remote service, registered at runtime' }],
  providers: [StockReportService],
  controllers: [ReportsController],
})
export class ReportsPlugin {}

export default ReportsPlugin;
