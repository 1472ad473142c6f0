import 'reflect-metadata';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { compiledFixture, compiledLibrary, loadCompiledLibrary, waitUntil, type CompiledLibrary } from '../isolation/support/isolation-harness.js';

/**
 * SPEC §18: a plugin's Nest controllers get their route span whether they run inline or are
 * proxied into a thread or process guest: same name, parented on the request's `traceparent`,
 * and what the controller does in the guest (its ctx.call, its log line) joins that span.
 */
describe.each(['inline', 'thread', 'process'] as const)('route spans of Nest controllers in mode %s', (mode) => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  let lib: CompiledLibrary;
  let app: NestExpressApplication;
  let logBook: { of(plugin: string): { lines: any[]; errors: any[] } };

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    lib = await loadCompiledLibrary();
    logBook = (await import(compiledLibrary('observability/logs/plugin-log-book.js'))).pluginLogBook;
    const { TracedClerkPlugin } = await import(compiledFixture('traced-controller/clerk.plugin.js'));
    const moduleRef = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), lib.PluginModule.forRoot({ plugins: [TracedClerkPlugin], isolation: { 'trace-desk': mode } })],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.setGlobalPrefix('api');
    await app.init();
    await app.get(lib.PluginManager).load(compiledFixture('traced-controller/desk.plugin.js'));
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const spanNamed = (name: string): ReadableSpan => {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    if (span === undefined) throw new Error(`no span "${name}" among ${exporter.getFinishedSpans().map((candidate) => candidate.name).join(', ')}`);
    return span;
  };

  it('names the span after the route, parents it on the traceparent, and parents the guest’s call on it', async () => {
    const traceId = '5af7651916cd43dd8448eb211c80319c';
    const upstream = 'c7ad6b7169203331';
    await request(app.getHttpServer())
      .get('/api/plugins/trace-desk/desk/7')
      .set('traceparent', `00-${traceId}-${upstream}-01`)
      .expect(200, { stamped: 'stamped 7' });
    const routeName = 'plugin trace-desk route GET /api/plugins/trace-desk/desk/:id';
    await waitUntil(() => exporter.getFinishedSpans().some((span) => span.name === routeName), 'the route span');

    const route = spanNamed(routeName);
    expect(route.kind).toBe(1);
    expect(route.spanContext().traceId).toBe(traceId);
    expect(route.parentSpanContext?.spanId).toBe(upstream);
    expect(route.attributes).toMatchObject({ 'plugin.name': 'trace-desk', 'http.request.method': 'GET', 'http.response.status_code': 200 });
    const call = spanNamed('plugin trace-clerk call stamp');
    expect(call.spanContext().traceId).toBe(traceId);
    expect(call.parentSpanContext?.spanId).toBe(route.spanContext().spanId);
    expect(logBook.of('trace-desk').lines.find((line) => line.message === 'stamping 7')).toMatchObject({ traceId });
  });
});
