import type { INestApplication, Type } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { PluginControllersIsolatedError } from '../../errors/index.js';
import type { WireHttpRequest, WireHttpResponse, WireRoute } from '../guest-protocol.js';
import { exchangeInMemory, type RequestListener } from './in-memory-exchange.js';

/** What an Express router keeps of a route Nest registered on it. */
interface RouterLayer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
}

/**
 * The plugin's Nest controllers, served by the guest's own Nest application on an Express
 * instance that never listens: the host forwards each request and writes the answer. Guards,
 * pipes, interceptors and filters run here as Nest runs them.
 */
export class GuestControllers {
  readonly routes: WireRoute[];
  private readonly listener: RequestListener;

  constructor(app: INestApplication) {
    const express = app.getHttpAdapter().getInstance() as RequestListener & { router: { stack: RouterLayer[] } };
    this.listener = express;
    this.routes = express.router.stack.flatMap(({ route }) =>
      route === undefined ? [] : Object.keys(route.methods).map((method) => ({ method: method === '_all' ? 'all' : method, path: String(route.path) })),
    );
  }

  handle(request: WireHttpRequest, maxBodyBytes: number): Promise<WireHttpResponse> {
    return exchangeInMemory(this.listener, request, maxBodyBytes);
  }
}

/** Whether a module or anything it imports declares controllers: then the guest needs an HTTP application. */
export async function declaresControllers(module: unknown, seen = new Set<unknown>()): Promise<boolean> {
  const resolved = await unwrapModule(module);
  if (resolved === undefined || seen.has(resolved)) return false;
  seen.add(resolved);
  const dynamic = typeof resolved === 'object' ? (resolved as { module?: unknown; controllers?: unknown[]; imports?: unknown[] }) : undefined;
  const moduleClass = dynamic?.module ?? resolved;
  const controllers = [...(dynamic?.controllers ?? []), ...((Reflect.getMetadata('controllers', moduleClass as object) as unknown[] | undefined) ?? [])];
  if (controllers.length > 0) return true;
  const imports = [...(dynamic?.imports ?? []), ...((Reflect.getMetadata('imports', moduleClass as object) as unknown[] | undefined) ?? [])];
  for (const imported of imports) if (await declaresControllers(imported, seen)) return true;
  return false;
}

async function unwrapModule(module: unknown): Promise<unknown> {
  const awaited = await module;
  if (awaited !== null && typeof awaited === 'object' && 'forwardRef' in awaited) return (awaited as { forwardRef: () => unknown }).forwardRef();
  return awaited ?? undefined;
}

/**
 * Server-sent events never end, and a proxied answer is sent whole once it has: such a route
 * would only ever time out, so the plugin is refused, naming the handlers.
 */
export function refuseStreamingRoutes(app: INestApplication, pluginName: string, mode: string): void {
  const streaming = [...app.get(ModulesContainer).values()].flatMap((moduleRef) =>
    [...moduleRef.controllers.values()].flatMap(({ metatype, name }) => {
      const prototype = (metatype as Type<unknown> | null)?.prototype as Record<string, unknown> | undefined;
      if (prototype === undefined) return [];
      return Object.getOwnPropertyNames(prototype)
        .filter((key) => key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, key)?.value === 'function')
        .filter((key) => Reflect.getMetadata(SSE_METADATA, prototype[key] as object) === true)
        .map((key) => `${String(name)}.${key}`);
    }),
  );
  if (streaming.length > 0) throw new PluginControllersIsolatedError(pluginName, mode, streaming);
}
