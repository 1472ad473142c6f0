import 'reflect-metadata';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Plugin, PluginModule } from 'nestjs-plugins';
import request from 'supertest';
import { pluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import { bootApp } from '../support/boot-app.js';

@Controller('orders')
class OrdersController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    if (id === 'broken') throw new Error('the order store is down');
    return { id };
  }
}

@Plugin({ name: 'ctl-shop', version: '1.0.0', controllers: [OrdersController] })
class ShopPlugin {}

/** SPEC §18: a plugin's own Nest controllers get a route span like its `ctx.http` routes, in the trace the request carries. */
describe("route spans of a plugin's Nest controllers", () => {
  const exporter = new InMemorySpanExporter();
  let app: INestApplication;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    app = await bootApp([PluginModule.forRoot({ plugins: [ShopPlugin] })]);
  });

  afterAll(async () => {
    await app?.close();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  beforeEach(() => exporter.reset());

  const routeSpans = (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name.startsWith('plugin ctl-shop route'));

  it('names the span after the matched route and parents it on the traceparent the request carries', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await request(app.getHttpServer()).get('/plugins/ctl-shop/orders/7').set('traceparent', `00-${traceId}-b7ad6b7169203331-01`).expect(200, { id: '7' });
    const [span] = routeSpans();
    expect(span?.name).toBe('plugin ctl-shop route GET /plugins/ctl-shop/orders/:id');
    expect(span!.kind).toBe(1);
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span!.attributes).toMatchObject({ 'plugin.name': 'ctl-shop', 'http.request.method': 'GET', 'http.response.status_code': 200 });
  });

  it('marks a 5xx answer as an error, in the span and in the plugin’s error ring', async () => {
    await request(app.getHttpServer()).get('/plugins/ctl-shop/orders/broken').expect(500);
    const [span] = routeSpans();
    expect(span?.status.code).toBe(2);
    expect(pluginLogBook.of('ctl-shop').errors.at(-1)).toMatchObject({ plugin: 'ctl-shop', message: 'route GET /plugins/ctl-shop/orders/:id failed: answered 500' });
  });
});
