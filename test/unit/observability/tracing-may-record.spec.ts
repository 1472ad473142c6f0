import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { pluginTracer, tracingMayRecord } from '../../../lib/observability/tracing/open-telemetry.js';

/** The call hook's one check for "no SDK": it must follow the API's registration both ways, whenever it happens. */
describe('tracingMayRecord', () => {
  afterEach(() => trace.disable());

  it('is false until a tracer provider is registered, true while one is, false again after trace.disable()', () => {
    expect(tracingMayRecord()).toBe(false);
    expect(pluginTracer()).toBeUndefined();

    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(tracingMayRecord()).toBe(true);
    expect(pluginTracer()?.startSpan('x').isRecording()).toBe(true);

    trace.disable();
    expect(tracingMayRecord()).toBe(false);
    expect(pluginTracer()).toBeUndefined();

    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(tracingMayRecord()).toBe(true);
    expect(pluginTracer()?.startSpan('y').isRecording()).toBe(true);
  });
});
