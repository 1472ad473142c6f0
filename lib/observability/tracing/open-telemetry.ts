import { createRequire } from 'node:module';
import type * as OpenTelemetry from '@opentelemetry/api';

/**
 * `@opentelemetry/api`, an optional peer, loaded once when the library loads: undefined when it
 * is not installed, and then no span code runs at all. An SDK registered later (before or after
 * the application boots) is picked up: the API keeps its providers in one global, whichever of
 * its builds registered them. Required, not awaited: a top-level await would stop CommonJS
 * applications from `require()`-ing the library.
 */
export const openTelemetry: typeof OpenTelemetry | undefined = loadOpenTelemetry();

function loadOpenTelemetry(): typeof OpenTelemetry | undefined {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as typeof OpenTelemetry;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

let tracerOf: { provider: OpenTelemetry.TracerProvider; tracer: OpenTelemetry.Tracer } | undefined;
/** What the API's global provider delegates to while no SDK is registered. */
const NO_SDK = openTelemetry === undefined ? undefined : new openTelemetry.ProxyTracerProvider().getDelegate();

/**
 * Where every copy of the API 1.x keeps its registered globals: the holder is made on the first
 * registration and kept, and `setGlobalTracerProvider` puts its `trace` entry there (`disable`
 * removes it). Reading that entry tells "no SDK" apart in one property load, where asking the API
 * costs a version check and a provider look-up on every call.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
let apiGlobals: { readonly trace?: unknown } | undefined = openTelemetry === undefined ? undefined : watchApiGlobals();

/**
 * The holder if one exists, else undefined, and an accessor in its place tells when the first
 * registration makes it (then the holder becomes a plain property, as the API would have made it).
 * Looking `globalThis[symbol]` up on every call instead cost more than the rest of the call hook.
 * Another copy of this library may have put its accessor there first: that one is told too.
 */
function watchApiGlobals(): { readonly trace?: unknown } | undefined {
  type Holder = { readonly trace?: unknown } | undefined;
  const existing = (globalThis as Record<symbol, Holder>)[API_GLOBALS];
  if (existing !== undefined) return existing;
  const previous = Object.getOwnPropertyDescriptor(globalThis, API_GLOBALS);
  // A frozen global takes no holder from the API either: nothing can register.
  if (previous === undefined ? !Object.isExtensible(globalThis) : previous.configurable !== true) return undefined;
  Object.defineProperty(globalThis, API_GLOBALS, {
    configurable: true,
    get: () => undefined,
    set(holder: Holder) {
      previous?.set?.(holder);
      Object.defineProperty(globalThis, API_GLOBALS, { value: holder, writable: true, enumerable: true, configurable: true });
      apiGlobals = holder;
    },
  });
  return undefined;
}

/** False while no tracer provider is registered (or without the API): no span can record, so none is started. Hot path: two loads. */
export function tracingMayRecord(): boolean {
  return apiGlobals !== undefined && apiGlobals.trace !== undefined;
}

/**
 * The library's tracer; undefined without the API, and while no SDK is registered (the API's
 * no-op spans would record nothing, and without a context manager nothing flows either).
 * Asked again whenever the global provider changed: the API's proxy tracer keeps the first
 * provider it delegated to, and one registered after `trace.disable()` would never be reached.
 */
export function pluginTracer(): OpenTelemetry.Tracer | undefined {
  if (!tracingMayRecord()) return undefined;
  const api = openTelemetry!;
  const provider = api.trace.getTracerProvider();
  if (provider instanceof api.ProxyTracerProvider && provider.getDelegate() === NO_SDK) return undefined;
  if (tracerOf?.provider !== provider) tracerOf = { provider, tracer: provider.getTracer('nestjs-plugins') };
  return tracerOf.tracer;
}
