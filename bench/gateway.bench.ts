import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PluginCallContext } from '../lib/context/plugin-call-context.js';
import { PluginRecordStore } from '../lib/registry/plugin-record.store.js';
import { PluginRegistry } from '../lib/registry/plugin.registry.js';
import { PluginDependencyRegistry } from '../lib/services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../lib/services/gateway/plugin.gateway.js';
import { ServiceRegistry } from '../lib/services/registry/service.registry.js';
import { comparePairAsync, ratioFigure, type Figure, type PairOptions } from './harness.js';

/**
 * The gateway's cost on a real round trip: a call through PluginGateway to a loopback HTTP
 * service against a hand-written fetch of the same URL with the same identity headers. Both
 * read the JSON answer, inside the same tenant scope. Most of the difference is the timeout:
 * fetch does real work for any AbortSignal (about 10 µs here), so a second, information-only
 * row compares against a fetch that has one too.
 */

// A loopback round trip costs over 100 µs; a few hundred per sample, and many samples, since
// the server shares the process (and the machine) with the client.
const ROUND_TRIPS: PairOptions = { loops: 300, samples: 41, warmupSamples: 5 };
const TIMEOUT_MS = 5_000;
const TENANT = { tenantId: 'acme-id', tenantSlug: 'acme' };
const ANSWER = JSON.stringify({ id: '1', name: 'Ada', score: 1 });

function startServer(): Promise<Server> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function runGatewayBench(): Promise<Figure[]> {
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const records = new PluginRecordStore();
  // The run lasts longer than the default staleness and sends no heartbeats: the service must stay HEALTHY throughout.
  const services = new ServiceRegistry(records, { staleAfterMs: 3_600_000 });
  const dependencies = new PluginDependencyRegistry(records, services);
  const gateway = new PluginGateway(services, dependencies, new PluginRegistry(records), { gatewayTimeoutMs: TIMEOUT_MS });
  dependencies.register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' }]);
  PluginCallContext.run(TENANT, () =>
    services.register({ pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl, endpoints: [{ method: 'GET', path: '/contacts/:id' }] }),
  );

  const url = `${baseUrl}/contacts/1`;
  const headers = { 'x-tenant-id': TENANT.tenantId, 'x-tenant-slug': TENANT.tenantSlug, 'x-caller-plugin-id': 'plugin-analytics' };
  const fetchLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += ((await (await fetch(url, { headers })).json()) as { score: number }).score;
    return acc;
  };
  const fetchWithTimeoutLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += ((await (await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) })).json()) as { score: number }).score;
    return acc;
  };
  const request = { callerPluginId: 'plugin-analytics', targetPluginId: 'plugin-crm', targetServiceName: 'crm.contacts', method: 'GET', path: '/contacts/1' } as const;
  const gatewayLoop = async (loops: number) => {
    let acc = 0;
    for (let i = 0; i < loops; i++) acc += (await gateway.call<{ score: number }>(request)).body.score;
    return acc;
  };

  const plain = await PluginCallContext.run(TENANT, () => comparePairAsync(fetchLoop, gatewayLoop, ROUND_TRIPS));
  const withTimeout = await PluginCallContext.run(TENANT, () => comparePairAsync(fetchWithTimeoutLoop, gatewayLoop, ROUND_TRIPS));
  await new Promise((resolve) => server.close(resolve));
  return [
    ratioFigure('gateway.call GET to a loopback service vs fetch of the same URL', plain.subject / 1000, plain.baseline / 1000, 'µs/op', 1.2),
    ratioFigure('gateway.call vs fetch with an AbortSignal.timeout, as the gateway does', withTimeout.subject / 1000, withTimeout.baseline / 1000, 'µs/op'),
  ];
}
