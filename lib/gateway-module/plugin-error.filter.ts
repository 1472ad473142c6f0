import { Catch, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PluginError } from '../errors/plugin.error.js';
import { HostPaths } from './host-paths.js';

/** What a remote service answered, passed on so the caller sees why a forwarded call failed. */
interface RemoteAnswer {
  readonly status?: number;
  readonly body?: unknown;
}

/**
 * Library errors as JSON with their stable `code`: `{ statusCode, code, message }` (+ the remote
 * answer, or an install refusal's `reason`), with the error's own `httpStatus`. The message names no host directory (a failed load
 * names the file as the request did).
 */
@Catch(PluginError)
@Injectable()
export class PluginErrorFilter implements ExceptionFilter {
  constructor(private readonly paths: HostPaths) {}

  catch(error: PluginError, host: ArgumentsHost): void {
    const statusCode = error.httpStatus;
    const remote = error as PluginError & RemoteAnswer;
    const upstream = error.code === 'PLUGIN_REMOTE_SERVICE_ERROR' ? { upstreamStatus: remote.status, upstreamBody: remote.body } : {};
    const reason = error.code === 'PLUGIN_INSTALL_REFUSED' ? { reason: (error as PluginError & { reason: string }).reason } : {};
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(statusCode)
      .json({ statusCode, code: error.code, message: this.paths.hide(error.message), ...upstream, ...reason });
  }
}
