import { Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayRoutes } from '../controllers/gateway-routes.decorator.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { ConsoleRates, type ConsoleRatesView } from './console-rates.js';

/** The console's rates panel (page/rates.script.ts), behind the operator key like the rest of the console's data. */
@ApiExcludeController()
@GatewayRoutes('console', 'console', { perTenant: false })
@OperatorOnly()
export class ConsoleRatesController {
  constructor(private readonly consoleRates: ConsoleRates) {}

  /** `?node=<id>` for another instance of the cluster, `?node=all` for the sum over the live ones. */
  @Get('rates')
  rates(@Query('node') node?: string): Promise<ConsoleRatesView> {
    return this.consoleRates.rates(typeof node === 'string' && node !== '' ? node : undefined);
  }
}
