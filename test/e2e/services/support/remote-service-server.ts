import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type RouteHandler = (request: IncomingMessage & { body: string }, response: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 (a free port) standing in for a remote plugin's process.
 * It records every request it gets; `routes` maps `METHOD /path` to a handler, and anything
 * else answers 404. Requests it never answers are cut when it closes.
 */
export class RemoteServiceServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;

  private constructor(routes: Record<string, RouteHandler>) {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        this.requests.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        const route = routes[`${request.method} ${new URL(request.url!, 'http://x').pathname}`];
        if (route === undefined) sendJson(response, 404, { message: 'no such route' });
        else route(Object.assign(request, { body }), response);
      });
    });
  }

  static async start(routes: Record<string, RouteHandler>): Promise<RemoteServiceServer> {
    const remote = new RemoteServiceServer(routes);
    await new Promise<void>((resolve) => remote.server.listen(0, '127.0.0.1', resolve));
    return remote;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A base URL nothing listens on: a port the system just gave out and took back. */
export async function closedPortUrl(): Promise<string> {
  const server = await RemoteServiceServer.start({});
  const url = server.url;
  await server.close();
  return url;
}
