import type { ServiceEndpointMethod } from '../registry/service.types.js';

/** A call from one plugin to a service of another, as the seed's `POST /api/plugin-gateway/call` carries it. */
export interface GatewayRequest {
  /** must have declared a dependency on `targetPluginId` */
  callerPluginId: string;
  targetPluginId: string;
  targetServiceName: string;
  /** case-insensitive */
  method: ServiceEndpointMethod | Lowercase<ServiceEndpointMethod>;
  /** one of the service's declared endpoints (`/contacts/9` for `GET /contacts/:id`); for a local plugin `/<exposedMethod>` */
  path: string;
  /**
   * Remote: sent as JSON (not with GET). Local: the exposed method's arguments, an array
   * spread as they are, any other value as the only argument.
   */
  body?: unknown;
  /** remote only: appended to the URL, an array as a repeated parameter */
  query?: Record<string, string | string[]>;
  /** remote only: extra request headers; they cannot replace the tenant and caller headers */
  headers?: Record<string, string>;
}

export interface GatewayResponse<T = unknown> {
  /** the remote service's status (2xx); 200 for a local plugin */
  status: number;
  /** the remote answer's headers as fetch gives them (`headers.get('x-total')`, any case); empty for a local plugin */
  headers: Headers;
  /** the parsed JSON (text when the answer is not JSON, undefined when empty); a local method's resolved result */
  body: T;
}
