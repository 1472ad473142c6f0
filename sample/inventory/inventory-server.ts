import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { productOf, productsOf } from './catalog.js';
import { registerWithHost } from './host-registration.js';

/**
 * A remote plugin: a separate process, plain `node:http`, no Nest. The host reaches it only
 * through its gateway, which forwards the tenant (`X-Tenant-Slug`, `X-Tenant-ID`) and the
 * calling plugin (`X-Caller-Plugin-ID`). It trusts whoever reaches it, so it listens on
 * 127.0.0.1 only. Run it with `node dist/sample/inventory/inventory-server.js`.
 */

export interface InventoryServerOptions {
  /** 0: any free port */
  port: number;
  hostUrl: string;
  apiKey: string;
  tenants: readonly string[];
  heartbeatMs: number;
  /** one line per step and per request (default: stdout) */
  log?: (line: string) => void;
}

export interface InventoryServer {
  /** where the host reaches it, e.g. `http://127.0.0.1:4100` */
  url: string;
  /** Deregisters from the host, then stops listening; later calls return the same promise. */
  stop(): Promise<void>;
}

export async function startInventoryServer(options: InventoryServerOptions): Promise<InventoryServer> {
  const log = options.log ?? ((line: string) => console.log(`[inventory] ${line}`));
  const server = createServer((request, response) => answer(request, response, log));
  const url = `http://127.0.0.1:${await listen(server, options.port)}`;
  log(`listening on ${url}`);
  const registration = await registerWithHost({ ...options, baseUrl: url, log }).catch(async (error: unknown) => {
    await close(server);
    throw error;
  });

  let stopped: Promise<void> | undefined;
  async function stopOnce(): Promise<void> {
    try {
      await registration.stop();
    } finally {
      await close(server);
      log('stopped');
    }
  }
  // Once only: a second Ctrl+C (or a test's cleanup) must not deregister twice.
  return { url, stop: () => (stopped ??= stopOnce()) };
}

/** `GET /products` and `GET /products/:id`, with the stock of the tenant the request is for. */
function answer(request: IncomingMessage, response: ServerResponse, log: (line: string) => void): void {
  const tenant = header(request, 'x-tenant-slug') ?? header(request, 'x-tenant-id');
  const caller = header(request, 'x-caller-plugin-id');
  log(`${request.method} ${request.url} for tenant ${tenant ?? '(none)'}, asked by ${caller ?? '(unknown)'}`);
  const { pathname } = new URL(request.url ?? '/', 'http://inventory');
  const [collection, id, ...rest] = pathname.split('/').filter((segment) => segment !== '');
  if (request.method !== 'GET' || collection !== 'products' || rest.length > 0) {
    return send(response, 404, { message: `No route ${request.method} ${pathname}` });
  }
  // Echoes tenant and caller, to show what the gateway forwarded.
  if (id === undefined) return send(response, 200, { tenant, caller, products: productsOf(tenant) });
  // Ids are plain kebab-case, so the raw (still percent-encoded) segment is compared as it is.
  const product = productOf(tenant, id);
  if (product === undefined) return send(response, 404, { message: `No product "${id}"` });
  send(response, 200, { tenant, caller, product });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Resolves with the port listened on (the one given, or the free one the system chose for 0). */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Configured by the environment; Ctrl+C or SIGTERM deregisters it before it exits. */
async function main(): Promise<void> {
  const inventory = await startInventoryServer({
    port: Number(process.env.INVENTORY_PORT ?? 4100),
    hostUrl: process.env.HOST_URL ?? 'http://localhost:3000',
    apiKey: process.env.GATEWAY_API_KEY ?? 'dev-key',
    tenants: (process.env.INVENTORY_TENANTS ?? 'acme,globex').split(',').map((tenant) => tenant.trim()).filter((tenant) => tenant !== ''),
    heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 10_000),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void inventory.stop());
}

// Run as a program (`node …/inventory-server.js`), not when a test imports startInventoryServer.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main().catch((error: Error) => {
    console.error(`[inventory] cannot start: ${error.message}`);
    process.exitCode = 1;
  });
}
