import { recordPluginError } from './logs/plugin-log-line.js';
import { runInHeaderTrace } from './tracing/header-propagation.js';
import { runInSpan, spanTraceId, startPluginSpan } from './tracing/plugin-span.js';

interface ObservedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** set by Express once a route matched */
  readonly route?: { readonly path?: unknown };
}

interface ObservedResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * A request to a plugin's `ctx.http` route, observed: a server span, the child of the trace
 * its headers carry (`traceparent`), that ends when the response is sent and is named after
 * the route that matched (`plugin x route GET /scores/:id`); a 5xx answer is an error in the
 * plugin's ring.
 */
export function observeRequest<R>(plugin: string, req: ObservedRequest, res: ObservedResponse, fn: () => R): R {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return runInHeaderTrace(header, () => {
    const span = startPluginSpan('route', plugin, `${req.method} ${req.path}`, { 'http.request.method': req.method, 'url.path': req.path });
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const member = `${req.method} ${typeof req.route?.path === 'string' ? req.route.path : req.path}`;
      if (res.statusCode >= 500) recordPluginError(plugin, 'route', member, new Error(`answered ${res.statusCode}`), spanTraceId(span));
      if (span === undefined) return;
      span.updateName(`plugin ${plugin} route ${member}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: 2 });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    return span === undefined ? fn() : runInSpan(span, fn, undefined, undefined, undefined);
  });
}
