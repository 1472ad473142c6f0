import { Catch, HttpStatus, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PluginError } from '../errors/plugin.error.js';
import { HostPaths } from './host-paths.js';

/** HTTP status per error code; codes not listed answer 500. */
const STATUS_BY_CODE: Readonly<Record<string, HttpStatus>> = {
  PLUGIN_NOT_ACTIVE: HttpStatus.NOT_FOUND,
  PLUGIN_METHOD_NOT_EXPOSED: HttpStatus.NOT_FOUND,
  PLUGIN_SERVICE_NOT_FOUND: HttpStatus.NOT_FOUND,
  PLUGIN_PERMISSION_DENIED: HttpStatus.FORBIDDEN,
  PLUGIN_UNDECLARED_DEPENDENCY: HttpStatus.FORBIDDEN,
  PLUGIN_UNDECLARED_ENDPOINT: HttpStatus.FORBIDDEN,
  PLUGIN_SHARED_DATA_OWNERSHIP: HttpStatus.FORBIDDEN,
  PLUGIN_KEY_CLAIM_MISMATCH: HttpStatus.FORBIDDEN,
  PLUGIN_OPERATOR_KEY_REQUIRED: HttpStatus.FORBIDDEN,
  PLUGIN_SERVICE_NAME_TAKEN: HttpStatus.FORBIDDEN,
  PLUGIN_TENANT_CONFLICT: HttpStatus.BAD_REQUEST,
  PLUGIN_INVALID_ARGUMENTS: HttpStatus.BAD_REQUEST,
  PLUGIN_INVALID_SERVICE_REGISTRATION: HttpStatus.BAD_REQUEST,
  PLUGIN_INVALID_DEPENDENCY_REGISTRATION: HttpStatus.BAD_REQUEST,
  PLUGIN_SHARED_DATA_INVALID_VALUE: HttpStatus.BAD_REQUEST,
  PLUGIN_SHARED_DATA_INVALID_ARGUMENT: HttpStatus.BAD_REQUEST,
  PLUGIN_SHARED_DATA_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  PLUGIN_HAS_DEPENDENTS: HttpStatus.CONFLICT,
  PLUGIN_DUPLICATE: HttpStatus.CONFLICT,
  PLUGIN_LOAD_FAILED: HttpStatus.UNPROCESSABLE_ENTITY,
  PLUGIN_RESOLUTION_FAILED: HttpStatus.UNPROCESSABLE_ENTITY,
  PLUGIN_INIT_FAILED: HttpStatus.UNPROCESSABLE_ENTITY,
  PLUGIN_REMOTE_SERVICE_ERROR: HttpStatus.BAD_GATEWAY,
  PLUGIN_GATEWAY_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  PLUGIN_CALL_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
};

/** What a remote service answered, passed on so the caller sees why a forwarded call failed. */
interface RemoteAnswer {
  readonly status?: number;
  readonly body?: unknown;
}

/**
 * Library errors as JSON with their stable `code`: `{ statusCode, code, message }` (+ the remote
 * answer). The message names no host directory (a failed load names the file as the request did).
 */
@Catch(PluginError)
@Injectable()
export class PluginErrorFilter implements ExceptionFilter {
  constructor(private readonly paths: HostPaths) {}

  catch(error: PluginError, host: ArgumentsHost): void {
    const statusCode = STATUS_BY_CODE[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
    const remote = error as PluginError & RemoteAnswer;
    const upstream = error.code === 'PLUGIN_REMOTE_SERVICE_ERROR' ? { upstreamStatus: remote.status, upstreamBody: remote.body } : {};
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(statusCode)
      .json({ statusCode, code: error.code, message: this.paths.hide(error.message), ...upstream });
  }
}
