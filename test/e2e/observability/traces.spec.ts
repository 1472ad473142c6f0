import 'reflect-metadata';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { compiledFixture, compiledLibrary, loadCompiledLibrary, waitUntil, type CompiledLibrary } from '../isolation/support/isolation-harness.js';

/**
 * SPEC §18 traces: one trace from an HTTP request through an inline plugin's route, its
 * `ctx.call` to a plugin in a worker thread, and that plugin's SQL statement, each span the
 * child of the one before; and `ctx.logger` lines with their fields.
 */
describe('traces and log fields', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let lib: CompiledLibrary;
  let app: INestApplication;
  let baseUrl: string;
  let logBook: { of(plugin: string): { lines: any[]; errors: any[] } };

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    lib = await loadCompiledLibrary();
    logBook = (await import(compiledLibrary('observability/logs/plugin-log-book.js'))).pluginLogBook;
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({ pluginsDir: compiledFixture('traced'), isolation: { 'trace-store': 'thread' } }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  beforeEach(() => exporter.reset());

  const registry = () => app.get(lib.PluginRegistry) as unknown as { call(name: string, method: string, ...args: unknown[]): unknown };

  const spanNamed = (name: string): ReadableSpan => {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    if (span === undefined) throw new Error(`no span "${name}" among ${exporter.getFinishedSpans().map((candidate) => candidate.name).join(', ')}`);
    return span;
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('follows a request into a route, across ctx.call into a thread, down to the statement', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const upstream = '00f067aa0ba902b7';
    const response = await fetch(`${baseUrl}/plugins/trace-front/count`, { headers: { traceparent: `00-${traceId}-${upstream}-01` } });
    expect(await response.json()).toEqual({ count: 0 });
    await waitUntil(() => exporter.getFinishedSpans().some((span) => span.name === 'plugin trace-front route GET /count'), 'the route span');

    const route = spanNamed('plugin trace-front route GET /count');
    const call = spanNamed('plugin trace-store call count');
    const statement = spanNamed('plugin trace-store sql SELECT');
    for (const span of [route, call, statement]) expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(route)).toBe(upstream);
    expect(parentOf(call)).toBe(route.spanContext().spanId);
    expect(parentOf(statement)).toBe(call.spanContext().spanId);
    expect(call.attributes).toMatchObject({ 'plugin.name': 'trace-store', 'plugin.kind': 'call', 'plugin.member': 'count', 'plugin.caller': 'trace-front' });
    expect(statement.attributes).toMatchObject({ 'db.operation.name': 'SELECT', 'db.query.text': 'SELECT COUNT(*) AS n FROM tallies' });

    // The thread's log line came back in the same trace, naming the plugin that called it.
    const line = logBook.of('trace-store').lines.find((entry) => entry.message === 'counting tallies');
    expect(line).toMatchObject({ plugin: 'trace-store', level: 'log', traceId, caller: 'trace-front' });
  });

  it('gives ctx.logger lines the plugin, tenant, caller and trace id, in the ring and to Nest', async () => {
    const logged = jest.spyOn(Logger.prototype, 'log');
    try {
      const span = trace.getTracer('test').startSpan('outer');
      await context.with(trace.setSpan(context.active(), span), () =>
        lib.PluginCallContext.run({ callerPluginId: 'billing', tenantId: 'acme' }, () => registry().call('trace-front', 'greet', 'ada')),
      );
      span.end();
      const fields = { plugin: 'trace-front', tenant: 'acme', caller: 'billing', traceId: span.spanContext().traceId };
      expect(logBook.of('trace-front').lines.at(-1)).toMatchObject({ level: 'log', message: 'hello ada', ...fields });
      expect(logged).toHaveBeenCalledWith('hello ada', fields);
    } finally {
      logged.mockRestore();
    }
  });

  it('keeps what a call threw in the plugin\'s error ring, and marks its span failed', async () => {
    expect(() => registry().call('trace-front', 'fail')).toThrow('front broke');
    expect(logBook.of('trace-front').errors.at(-1)).toMatchObject({ level: 'error', message: 'call fail failed: front broke', plugin: 'trace-front' });
    expect(spanNamed('plugin trace-front call fail').status.code).toBe(2);
  });
});
