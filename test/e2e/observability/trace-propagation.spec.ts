import 'reflect-metadata';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import type { ReceivedTopicMessage } from '../../../lib/interfaces/facets/topics.facet.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { NatsTopicTransport } from '../../../lib/resources/topics/nats.topic-transport.js';
import { ScopedTopics } from '../../../lib/resources/topics/scoped-topics.js';
import { PluginDependencyRegistry } from '../../../lib/services/dependencies/plugin-dependency.registry.js';
import { PluginGateway } from '../../../lib/services/gateway/plugin.gateway.js';
import { ServiceRegistry } from '../../../lib/services/registry/service.registry.js';
import { startNatsServer } from '../../support/nats-server.js';
import { bootApp } from '../support/boot-app.js';
import { RemoteServiceServer, sendJson } from '../services/support/remote-service-server.js';
import { pluginModuleWithServices } from '../services/support/services-app.js';

// JetStream on, for the durable topic's case.
const server = await startNatsServer({ jetstream: true });
const describeWithNats = server === undefined ? describe.skip : describe;

/** SPEC §18: a trace crosses instances, over NATS topic headers and the gateway's HTTP (`traceparent`). */
describe('trace propagation between instances', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = () => trace.getTracer('test');

  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterAll(async () => {
    await server?.stop();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  beforeEach(() => exporter.reset());

  const finished = (name: string): ReadableSpan | undefined => exporter.getFinishedSpans().find((span) => span.name === name);

  describeWithNats('over a NATS topic', () => {
    let publisher: NatsConnection;
    let subscriber: NatsConnection;
    // Each subscription is ended before its connection closes: a durable consumer's heartbeat
    // monitor otherwise outlives the connection and keeps Jest from exiting.
    const subscriptions: Array<Promise<() => Promise<void>>> = [];

    beforeAll(async () => {
      publisher = await connect({ servers: server!.url });
      subscriber = await connect({ servers: server!.url });
    });

    afterAll(async () => {
      for (const unsubscribe of await Promise.all(subscriptions)) await unsubscribe();
      await publisher?.close();
      await subscriber?.close();
    });

    it('delivers the message in a span that is the child of the sender’s', async () => {
      const overrides = new ResourceOverridesStore();
      const topicsOf = (connection: NatsConnection, name: string, topic: string) => {
        overrides.set(name, { topicNameMap: { [topic]: 'traced.orders' } });
        return new ScopedTopics(new ResourceScope({ name, version: '1.0.0', allowedTopics: [topic] }, overrides), new NatsTopicTransport(connection), () => {});
      };
      const shop = topicsOf(publisher, 'shop', 'orders');
      const billing = topicsOf(subscriber, 'billing', 'incoming');
      const received = new Promise<ReceivedTopicMessage>((resolve) => void subscriptions.push(billing.subscribe('incoming', resolve)));
      await new Promise((resolve) => setTimeout(resolve, 50));

      const sender = tracer().startSpan('checkout');
      await context.with(trace.setSpan(context.active(), sender), () => shop.send('orders', [{ value: { total: 3 } }]));
      sender.end();
      expect(await received).toEqual({ topic: 'incoming', value: { total: 3 } });

      const delivery = await waitForSpan(() => finished('plugin billing topic incoming'));
      expect(delivery.spanContext().traceId).toBe(sender.spanContext().traceId);
      expect(delivery.parentSpanContext?.spanId).toBe(sender.spanContext().spanId);
      expect(delivery.parentSpanContext?.isRemote).toBe(true);
    });

    it('delivers a durable (JetStream) message in a span that is the child of the sender’s', async () => {
      const overrides = new ResourceOverridesStore();
      const topicsOf = (connection: NatsConnection, name: string, topic: string) => {
        overrides.set(name, { topicNameMap: { [topic]: 'traced.ledger' } });
        return new ScopedTopics(
          new ResourceScope({ name, version: '1.0.0', allowedTopics: [{ name: topic, durable: true }] }, overrides),
          new NatsTopicTransport(connection),
          () => {},
        );
      };
      const shop = topicsOf(publisher, 'shop', 'ledger');
      const billing = topicsOf(subscriber, 'billing', 'entries');
      const received = new Promise<ReceivedTopicMessage>((resolve) => void subscriptions.push(billing.subscribe('entries', resolve)));
      await new Promise((resolve) => setTimeout(resolve, 200));

      const sender = tracer().startSpan('settle');
      await context.with(trace.setSpan(context.active(), sender), () => shop.send('ledger', [{ id: 'entry-1', value: { total: 5 } }]));
      sender.end();
      expect(await received).toMatchObject({ topic: 'entries', value: { total: 5 } });

      const delivery = await waitForSpan(() => finished('plugin billing topic entries'));
      expect(delivery.spanContext().traceId).toBe(sender.spanContext().traceId);
      expect(delivery.parentSpanContext?.spanId).toBe(sender.spanContext().spanId);
      expect(delivery.parentSpanContext?.isRemote).toBe(true);
    });
  });

  describe('over the gateway’s HTTP', () => {
    let app: INestApplication;
    let remote: RemoteServiceServer;

    beforeAll(async () => {
      remote = await RemoteServiceServer.start({ 'GET /api/contacts': (_, response) => sendJson(response, 200, []) });
      app = await bootApp([pluginModuleWithServices({ plugins: [] })]);
      app.get(ServiceRegistry).register({
        pluginId: 'plugin-crm',
        serviceName: 'crm.contacts',
        version: '1.0.0',
        baseUrl: `${remote.url}/api`,
        endpoints: [{ method: 'GET', path: '/contacts' }],
      });
      app.get(PluginDependencyRegistry).register([{ pluginId: 'plugin-analytics', dependsOnPluginId: 'plugin-crm', version: '^1.0.0' }]);
    });

    afterAll(async () => {
      await app?.close();
      await remote?.close();
    });

    it('sends `traceparent` naming the gateway’s client span, itself the child of the caller’s', async () => {
      const caller = tracer().startSpan('report');
      await context.with(trace.setSpan(context.active(), caller), () =>
        app.get(PluginGateway).call({ callerPluginId: 'plugin-analytics', targetPluginId: 'plugin-crm', targetServiceName: 'crm.contacts', method: 'GET', path: '/contacts' }),
      );
      caller.end();

      const client = finished('plugin plugin-crm call crm.contacts GET')!;
      expect(client.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
      expect(client.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.full': `${remote.url}/api/contacts` });
      const { traceId, spanId } = client.spanContext();
      expect(remote.requests[0].headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    });
  });
});

async function waitForSpan(find: () => ReadableSpan | undefined): Promise<ReadableSpan> {
  const deadline = Date.now() + 5_000;
  for (let span = find(); ; span = find()) {
    if (span !== undefined) return span;
    if (Date.now() > deadline) throw new Error('the span did not end in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
