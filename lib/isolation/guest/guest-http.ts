import type { PluginHttp } from '../../interfaces/facets/http.facet.js';
import { ANSWER_TOO_LARGE, type HostFunctions, type WireRequest, type WireResponse } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';

type Handler = (request: GuestRequest, response: GuestResponse, next: (error?: unknown) => void) => unknown;
type GuestRequest = WireRequest;

const ROUTER_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all'] as const;

/**
 * `ctx.http` in a guest: routes registered here are mounted by the host under the plugin's
 * prefix; the host forwards each request (params, query, headers, parsed body) and writes the
 * answer. Handlers see an Express-like request and response with the common members.
 */
export class GuestHttp implements PluginHttp {
  private readonly handlers = new Map<number, Handler[]>();
  private nextRoute = 1;

  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {}

  registerRoutes(register: (router: any) => void): void {
    this.assertValid();
    const router: Record<string, unknown> = {};
    for (const method of ROUTER_METHODS) {
      router[method] = (path: string, ...handlers: Handler[]) => {
        const route = this.nextRoute++;
        this.handlers.set(route, handlers);
        void this.host.registerRoute.asEvent(route, { method, path });
        return router;
      };
    }
    register(router);
  }

  /** Rejects (code `ANSWER_TOO_LARGE`) when the answer's body is larger than `maxBodyBytes`: it is not sent across. */
  handle(route: number, request: WireRequest, maxBodyBytes: number): Promise<WireResponse> {
    const handlers = this.handlers.get(route) ?? [];
    return new Promise((resolve, reject) => {
      const response = new GuestResponse((answer) => {
        if (bodyBytes(answer.body) <= maxBodyBytes) return resolve(answer);
        reject(Object.assign(new Error(`its answer is larger than ${maxBodyBytes} bytes`), { code: ANSWER_TOO_LARGE }));
      });
      const next = (index: number) => (error?: unknown) => {
        if (error !== undefined) return reject(error);
        const handler = handlers[index];
        if (handler === undefined) return resolve({ status: 404, headers: {}, body: undefined });
        Promise.resolve(handler(request, response, next(index + 1))).catch(reject);
      };
      next(0)();
    });
  }
}

/** The subset of Express's response a handler usually needs. */
class GuestResponse {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly finish: (response: WireResponse) => void) {}

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  set(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  setHeader(name: string, value: string): this {
    return this.set(name, value);
  }

  json(body: unknown): this {
    this.headers['content-type'] ??= 'application/json';
    this.finish({ status: this.statusCode, headers: this.headers, body });
    return this;
  }

  send(body?: unknown): this {
    this.finish({ status: this.statusCode, headers: this.headers, body });
    return this;
  }

  end(): this {
    return this.send();
  }

  sendStatus(code: number): this {
    return this.status(code).send();
  }
}

/** The body's size as it crosses: bytes as they are, text as UTF-8, anything else as its JSON. */
function bodyBytes(body: unknown): number {
  if (body === undefined) return 0;
  if (body instanceof Uint8Array) return body.byteLength;
  return Buffer.byteLength(typeof body === 'string' ? body : (JSON.stringify(body) ?? ''));
}
