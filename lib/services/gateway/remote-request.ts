import type { PluginCallContextData } from '../../context/plugin-call-context.js';
import { pathSegments } from '../registry/endpoint-pattern.js';
import type { RemoteService } from '../registry/remote-service.js';
import type { GatewayRequest } from './gateway.types.js';

/** The URL a request goes to, and its path segments below the service's base URL, to match against the endpoints. */
export interface RemoteTarget {
  readonly url: URL;
  readonly segments: readonly string[];
}

/**
 * Resolves the path the way the request will be sent (dot segments, `%2e%2e`, backslashes),
 * so endpoints are matched against what the service will really receive. Undefined when
 * the path leaves the service's base URL.
 */
export function remoteTarget(service: RemoteService, path: string, query: GatewayRequest['query']): RemoteTarget | undefined {
  const url = new URL(service.base + (path.startsWith('/') ? path : `/${path}`));
  const below = url.pathname.slice(service.basePath.length);
  if (!url.pathname.startsWith(service.basePath) || (below !== '' && !below.startsWith('/'))) return undefined;
  if (query !== undefined) {
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
    }
  }
  return { url, segments: pathSegments(below) };
}

/** Set by the gateway alone: a caller's header of one of these names (in any case) is dropped. */
const GATEWAY_HEADERS = new Set(['x-caller-plugin-id', 'x-tenant-id', 'x-tenant-slug', 'content-type']);

/**
 * The caller's extra headers, then the gateway's, which always win. A plain object, not
 * `Headers`: fetch converts it anyway, and the instance would cost a few µs per call.
 */
export function remoteHeaders(request: GatewayRequest, context: PluginCallContextData, withBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.headers !== undefined) {
    for (const [name, value] of Object.entries(request.headers)) {
      const lowerName = name.toLowerCase();
      if (!GATEWAY_HEADERS.has(lowerName)) headers[lowerName] = value;
    }
  }
  headers['x-caller-plugin-id'] = request.callerPluginId;
  if (context.tenantId !== undefined) headers['x-tenant-id'] = context.tenantId;
  if (context.tenantSlug !== undefined) headers['x-tenant-slug'] = context.tenantSlug;
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

/** JSON when the service says so and it parses, else the text; undefined for an empty answer. */
export function parseAnswer(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
