import { PluginCallContext } from '../../context/plugin-call-context.js';
import { observeRemoteCall } from '../../observability/observed-work.js';
import { injectTraceHeaders } from '../../observability/tracing/header-propagation.js';
import { GatewayTimeoutError, RemoteServiceError, type ServiceCallDescription } from '../../errors/service.errors.js';
import type { GatewayRequest, GatewayResponse } from './gateway.types.js';
import { parseAnswer, remoteHeaders, type RemoteTarget } from './remote-request.js';

/**
 * Sends the request with Node's fetch and maps every failure: no answer in time (reading
 * the body included) → `GatewayTimeoutError`; no answer at all → `RemoteServiceError`
 * without status; a non-2xx answer → `RemoteServiceError` with its status and parsed body.
 */
export function callRemote<T>(
  target: RemoteTarget,
  method: string,
  request: GatewayRequest,
  call: ServiceCallDescription,
  timeoutMs: number,
): Promise<GatewayResponse<T>> {
  return observeRemoteCall(call.pluginId, call.serviceName, method, target.url.href, () => sendRemote<T>(target, method, request, call, timeoutMs));
}

async function sendRemote<T>(
  target: RemoteTarget,
  method: string,
  request: GatewayRequest,
  call: ServiceCallDescription,
  timeoutMs: number,
): Promise<GatewayResponse<T>> {
  const withBody = request.body !== undefined && method !== 'GET';
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  const headers = remoteHeaders(request, PluginCallContext.current(), withBody);
  injectTraceHeaders(headers);
  try {
    // The URL as a string: fetch parses a URL object again, more slowly than its text.
    response = await fetch(target.url.href, {
      method,
      headers,
      body: withBody ? JSON.stringify(request.body) : undefined,
      signal,
    });
    text = await response.text();
  } catch (error) {
    // Only the timeout can abort this signal.
    if (signal.aborted) throw new GatewayTimeoutError(call, timeoutMs);
    throw new RemoteServiceError(call, { cause: error });
  }
  const body = parseAnswer(text, response.headers.get('content-type'));
  if (!response.ok) throw new RemoteServiceError(call, { status: response.status, body });
  return { status: response.status, headers: response.headers, body: body as T };
}
