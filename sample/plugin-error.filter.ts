import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { PluginError } from 'nestjs-plugins';

/** Plugin errors as HTTP answers: the stable `code` picks the status, the message says why. */
const STATUS_BY_CODE: Record<string, number> = {
  PLUGIN_NOT_ACTIVE: 404,
  PLUGIN_HAS_DEPENDENTS: 409,
  PLUGIN_LOAD_FAILED: 422,
};

@Catch(PluginError)
export class PluginErrorFilter implements ExceptionFilter {
  catch(error: PluginError, host: ArgumentsHost): void {
    const statusCode = STATUS_BY_CODE[error.code] ?? 400;
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, code: error.code, message: error.message });
  }
}
