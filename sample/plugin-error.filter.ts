import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { PluginError } from 'nestjs-plugins';

/** Plugin errors as HTTP answers: each error carries its status, the stable `code` and the message say why. */
@Catch(PluginError)
export class PluginErrorFilter implements ExceptionFilter {
  catch(error: PluginError, host: ArgumentsHost): void {
    const statusCode = error.httpStatus;
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, code: error.code, message: error.message });
  }
}
