import { Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { PluginRates } from '../../observability/metrics/rate-window.js';
import { GatewayRoutes } from '../controllers/gateway-routes.decorator.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { ConsoleRates } from './console-rates.js';

/** The console's rates panel (page/rates.script.ts), behind the operator key like the rest of the console's data. */
@ApiExcludeController()
@GatewayRoutes('console', 'console', { perTenant: false })
@OperatorOnly()
export class ConsoleRatesController {
  constructor(private readonly consoleRates: ConsoleRates) {}

  @Get('rates')
  rates(): { windowSeconds: number; plugins: PluginRates[] } {
    return this.consoleRates.rates();
  }
}
