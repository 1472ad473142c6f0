import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayTimeoutError, RemoteServiceError, ServiceNotFoundError } from 'nestjs-plugins';

type InventoryFailure = ServiceNotFoundError | RemoteServiceError | GatewayTimeoutError;

/** Not registered for this tenant (or silent), unreachable or failing, too slow. */
const STATUS_BY_CODE: Record<InventoryFailure['code'], HttpStatus> = {
  PLUGIN_SERVICE_NOT_FOUND: HttpStatus.SERVICE_UNAVAILABLE,
  PLUGIN_REMOTE_SERVICE_ERROR: HttpStatus.BAD_GATEWAY,
  PLUGIN_GATEWAY_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
};

/**
 * Inventory is a separate process: when it is missing or failing, the report is unavailable,
 * which is an outage to tell the client about, not a bug of this route (a 500). Answered
 * like the sample's admin routes: `{ statusCode, code, message }`.
 */
@Catch(ServiceNotFoundError, RemoteServiceError, GatewayTimeoutError)
export class InventoryUnavailableFilter implements ExceptionFilter {
  catch(error: InventoryFailure, host: ArgumentsHost): void {
    const statusCode = STATUS_BY_CODE[error.code];
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, code: error.code, message: error.message });
  }
}
