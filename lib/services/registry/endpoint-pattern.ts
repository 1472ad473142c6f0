import type { ServiceEndpoint } from './service.types.js';

/** An endpoint ready to match request paths; a `null` segment is a `:param` and matches any one segment. */
export interface EndpointPattern {
  readonly method: string;
  readonly segments: readonly (string | null)[];
}

/**
 * The non-empty segments of a path, so `/contacts/9`, `contacts/9` and `/contacts/9/` are
 * the same request path; anything from `?` on is the query, not the path.
 */
export function pathSegments(path: string): string[] {
  const queryStart = path.indexOf('?');
  const pathOnly = queryStart === -1 ? path : path.slice(0, queryStart);
  return pathOnly.split('/').filter((segment) => segment !== '');
}

export function compileEndpoint(endpoint: ServiceEndpoint): EndpointPattern {
  return {
    method: endpoint.method,
    segments: pathSegments(endpoint.path).map((segment) => (segment.startsWith(':') ? null : segment)),
  };
}

export function matchesEndpoint(pattern: EndpointPattern, method: string, segments: readonly string[]): boolean {
  if (pattern.method !== method || pattern.segments.length !== segments.length) return false;
  return pattern.segments.every((expected, index) => expected === null || expected === segments[index]);
}

/** `GET /contacts/:id`, for messages. */
export function describeEndpoint(endpoint: ServiceEndpoint): string {
  return `${endpoint.method} ${endpoint.path}`;
}
