import { BadRequestException } from '@nestjs/common';
import { TenantConflictError } from '../errors/tenant.errors.js';

/**
 * A tenant conflict is the client's mistake: a 400 shaped like the gateway's library errors
 * (`{ statusCode, code, message }`), on any route of the application. Other errors pass unchanged.
 */
export function tenantHttpError(error: unknown): unknown {
  if (!(error instanceof TenantConflictError)) return error;
  return new BadRequestException({ statusCode: 400, code: error.code, message: error.message });
}
