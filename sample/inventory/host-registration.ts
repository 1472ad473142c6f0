/**
 * How a remote plugin lives in the host, over its REST API (`/api/plugin-gateway/services`):
 * register once per tenant, send heartbeats so the host keeps it HEALTHY (it goes DEGRADED,
 * then UNAVAILABLE, when they stop), deregister when leaving. Plain HTTP and JSON, so any
 * language can do the same.
 */

export interface HostRegistrationOptions {
  /** the host application, e.g. `http://localhost:3000` */
  hostUrl: string;
  /** the host's `PluginGatewayModule` API key, sent as `X-API-Key` */
  apiKey: string;
  /** where the host reaches this service */
  baseUrl: string;
  /** registrations are per tenant: one per tenant this process serves */
  tenants: readonly string[];
  heartbeatMs: number;
  log: (line: string) => void;
}

export interface HostRegistration {
  /** Stops the heartbeats and deregisters from every tenant. */
  stop(): Promise<void>;
}

/** The service this process offers; the gateway forwards only requests matching its endpoints. */
const SERVICE = {
  pluginId: 'inventory',
  serviceName: 'inventory.products',
  version: '1.0.0',
  endpoints: [
    { method: 'GET', path: '/products', description: 'every product with its stock' },
    { method: 'GET', path: '/products/:id', description: 'one product with its stock' },
  ],
};

interface HostAnswer {
  status: number;
  body: { serviceId?: string; state?: string; success?: boolean; message?: unknown };
}

/** Registers for every tenant (rejects if any registration is refused), then beats every `heartbeatMs`. */
export async function registerWithHost(options: HostRegistrationOptions): Promise<HostRegistration> {
  const { tenants, heartbeatMs, log } = options;
  /** The id the host gave each tenant's registration: heartbeats name it. */
  const serviceIds = new Map<string, string>();

  async function register(tenant: string): Promise<void> {
    const answer = await callHost(options, tenant, 'POST', '/services/register', { ...SERVICE, baseUrl: options.baseUrl });
    if (answer.status !== 201) throw new Error(`the host refused the registration for tenant ${tenant}: ${refusal(answer)}`);
    serviceIds.set(tenant, answer.body.serviceId!);
    log(`registered ${SERVICE.serviceName} for tenant ${tenant} at ${options.hostUrl} (service ${answer.body.serviceId})`);
  }

  async function heartbeat(tenant: string): Promise<void> {
    try {
      const answer = await callHost(options, tenant, 'POST', `/services/${serviceIds.get(tenant)}/heartbeat`);
      if (answer.status === 200) log(`heartbeat for tenant ${tenant}: ${answer.body.state}`);
      // 404: the host no longer knows the service (it restarted): register again.
      else if (answer.status === 404) await register(tenant);
      else log(`heartbeat for tenant ${tenant} refused: ${refusal(answer)}`);
    } catch (error) {
      // The host may be restarting: keep beating, the next heartbeat registers again if needed.
      log(`heartbeat for tenant ${tenant} failed: ${(error as Error).message}`);
    }
  }

  for (const tenant of tenants) await register(tenant);
  // One round at a time: a slow host must not pile up heartbeats.
  let beating: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    beating ??= Promise.all(tenants.map(heartbeat)).finally(() => (beating = undefined));
  }, heartbeatMs);

  return {
    async stop() {
      clearInterval(timer);
      await beating;
      for (const tenant of tenants) {
        try {
          const answer = await callHost(options, tenant, 'DELETE', `/services/${SERVICE.pluginId}/${SERVICE.serviceName}`);
          if (answer.status !== 200) log(`deregistration for tenant ${tenant} refused: ${refusal(answer)}`);
          else log(answer.body.success ? `deregistered ${SERVICE.serviceName} for tenant ${tenant}` : `the host had no registration for tenant ${tenant}`);
        } catch (error) {
          log(`deregistration for tenant ${tenant} failed: ${(error as Error).message}`);
        }
      }
    },
  };
}

/** One request to the host's gateway API as `tenant`. Rejects only when the host cannot be reached. */
async function callHost(options: HostRegistrationOptions, tenant: string, method: string, path: string, body?: unknown): Promise<HostAnswer> {
  const url = `${options.hostUrl}/api/plugin-gateway${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'x-api-key': options.apiKey, 'x-tenant-slug': tenant, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED…) is its cause.
    const cause = (error as Error & { cause?: Error }).cause;
    throw new Error(`cannot reach the host at ${url}: ${cause?.message ?? (error as Error).message}`);
  }
  // Not JSON (HOST_URL points at something else): an empty body, the status says enough.
  return { status: response.status, body: (await response.json().catch(() => ({}))) as HostAnswer['body'] };
}

/** `401 "Missing or invalid API key (header x-api-key)"`: Nest's error answers carry the reason in `message`. */
function refusal(answer: HostAnswer): string {
  return `${answer.status} ${JSON.stringify(answer.body.message)}`;
}
