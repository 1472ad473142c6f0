import { Inject, Injectable, NotFoundException, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response, Router } from 'express';
import { observeRequest } from '../observability/observed-request.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { PluginHttpUnavailableError } from './plugin-http-unavailable.error.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { ownFrame, runAsHost, runAsPlugin } from '../context/plugin-call-context.js';
import { inRequestTenant, type TenantScope } from '../context/request-tenant-scope.js';
import { DEFAULT_TENANT_HEADER } from '../context/tenant-from-headers.js';
import { tenantHttpError } from '../context/tenant-http-error.js';
import type { PluginTenantOptions } from '../context/tenant-options.js';

/** Where plugins are served, as Nest mounts plugin controllers; Express fills `req.params.pluginName`. */
const PLUGIN_PATH = '/plugins/:pluginName';

type PluginRequest = Request<{ pluginName: string }>;

/** What an Express router keeps of a route registered on it (`router.get(path, …)`). */
interface RouterLayer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
}

/**
 * Serves the routes plugins register with `ctx.http`, one Express router per plugin, and
 * keeps plugins that are not active from answering HTTP at all. Two handlers are mounted
 * on the Express app, each once; neither changes when plugins come and go.
 *
 * Where they go follows `NestApplication.init()` in Nest 12, and Express runs handlers in
 * the order they were mounted. The adapter reaches `HttpAdapterHost` before `init()`; then
 * `init()` mounts the body parsers, Nest middleware and every controller route, runs the
 * `onModuleInit` hooks, and only then mounts Nest's not-found handler and exception layer
 * (`registerRouterHooks`: plain `app.use`, so they come last) before running the
 * `onApplicationBootstrap` hooks, where plugins start.
 *
 * - The gate is mounted as soon as the adapter is known, ahead of everything `init()`
 *   mounts, because Nest's routes for plugin controllers would answer before any later
 *   handler. It reads no body, so it does not need the parsers.
 * - The dispatcher is mounted in `onModuleInit`: after the body parsers (`req.body` is
 *   parsed) and Nest middleware, and before the not-found handler, which answers 404 for
 *   every path Nest has no route for. Mounting it on first `registerRoutes` or in
 *   `onApplicationBootstrap` would put it behind that handler, where nothing reaches it.
 */
/**
 * Express is loaded only when a plugin registers routes on an Express application, so
 * applications on another adapter (or without HTTP) do not need it installed.
 */
function expressRouter(): Router {
  const express = createRequire(import.meta.url)('express') as typeof import('express');
  return express.Router();
}

@Injectable()
export class PluginRoutes implements OnModuleInit {
  private readonly routers = new Map<string, Router>();
  /** The Nest controllers of plugins loaded at run time, by plugin (boot plugins' controllers are the application's). */
  private readonly controllerRouters = new Map<string, Router>();
  /** Names of plugins that stopped: once their record is gone, this is how the gate knows the name was a plugin's. */
  private readonly stoppedNames = new Set<string>();
  /** undefined with `tenantHeader: false` */
  private readonly tenantScope?: TenantScope;

  constructor(
    private readonly records: PluginRecordStore,
    @Inject(PLUGIN_MODULE_OPTIONS) options: PluginTenantOptions,
    // Absent, or without an adapter, in an application context without HTTP.
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    const tenantHeader = options.tenantHeader ?? DEFAULT_TENANT_HEADER;
    if (tenantHeader !== false) this.tenantScope = { header: tenantHeader, resolveTenantId: options.resolveTenantId };
    // init$ replays: this runs now if the adapter is already set (NestFactory.create),
    // or when it is set (TestingModule.createNestApplication); both come before init().
    adapterHost?.init$.subscribe(() => this.expressAdapter()?.use(PLUGIN_PATH, this.gate));
  }

  onModuleInit(): void {
    this.expressAdapter()?.use(PLUGIN_PATH, this.dispatch);
    // At the root: controller paths carry the global prefix, which Nest resolves per route.
    this.expressAdapter()?.use(this.dispatchControllers);
  }

  /**
   * Serves the controllers of a plugin loaded at run time (`pluginControllerRouter`) while it is
   * active. Without HTTP there is nothing to serve them on, as at boot; another adapter than
   * Express is refused rather than leaving them unanswered.
   */
  serveControllers(pluginName: string, router: () => Router): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    if (adapter.getType() !== 'express') {
      throw new PluginHttpUnavailableError(pluginName, `controllers of a plugin loaded at runtime need the Express adapter, the application uses "${adapter.getType()}"`);
    }
    this.controllerRouters.set(pluginName, router());
  }

  /**
   * Runs `handle` in the request's tenant, as the plugin's routes run (for a router Nest's
   * interceptors never see: an isolated plugin's proxied controllers); a refused tenant goes to `fail` as its HTTP error.
   */
  inRequestTenant(request: Request, handle: () => void, fail: (error: unknown) => void): void {
    if (this.tenantScope === undefined) return handle();
    inRequestTenant(request.headers, this.tenantScope, () => handle(), (error) => fail(tenantHttpError(error)));
  }

  /** The router of a plugin, created on first use. */
  routerOf(pluginName: string): Router {
    // null, not undefined, in an application context made by NestFactory.createApplicationContext.
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) {
      throw new PluginHttpUnavailableError(pluginName, 'the application has no HTTP server (is it an application context?)');
    }
    if (adapter.getType() !== 'express') {
      throw new PluginHttpUnavailableError(pluginName, `routes need the Express adapter, the application uses "${adapter.getType()}"`);
    }
    let router = this.routers.get(pluginName);
    if (router === undefined) {
      router = expressRouter();
      this.routers.set(pluginName, router);
    }
    return router;
  }

  /** The routes a plugin registered, as `GET /plugins/<name>/path` (for the console). */
  routesOf(pluginName: string): string[] {
    const stack = (this.routers.get(pluginName) as { stack?: RouterLayer[] } | undefined)?.stack ?? [];
    return stack.flatMap(({ route }) =>
      route === undefined ? [] : Object.keys(route.methods).map((method) => `${method.toUpperCase()} /plugins/${pluginName}${String(route.path)}`),
    );
  }

  /** Drops the routes of a plugin that stops; its paths answer 404 until it is active again. */
  close(pluginName: string): void {
    this.routers.delete(pluginName);
    this.controllerRouters.delete(pluginName);
    this.stoppedNames.add(pluginName);
  }

  /**
   * 404 for a plugin that is registered but not active, or that stopped. Passed to Nest's
   * exception layer, so the answer looks like any other Nest 404. Other names are the host's.
   */
  private readonly gate = (req: PluginRequest, _res: Response, next: NextFunction): void => {
    const { pluginName } = req.params;
    const record = this.records.get(pluginName);
    const closed = record === undefined ? this.stoppedNames.has(pluginName) : record.state !== 'active';
    next(closed ? new NotFoundException(`Cannot ${req.method} ${req.originalUrl}`) : undefined);
  };

  /** Hands the request to the plugin's router; the gate has already turned away inactive plugins. */
  private readonly dispatch = (req: PluginRequest, res: Response, next: NextFunction): void => {
    const router = this.routers.get(req.params.pluginName);
    if (router === undefined) return next();
    // Nest's interceptors do not see these routes: the tenant is set here, as the interceptor does.
    const { pluginName } = req.params;
    this.inRequestTenant(req, () => routeIn(pluginName, router, req, res, next), next);
  };

  /** Offers the request to the controllers of each active runtime plugin in turn; none answering, it goes on to Nest's 404. */
  private readonly dispatchControllers = (req: Request, res: Response, next: NextFunction): void => {
    const routers = [...this.controllerRouters].filter(([name]) => this.records.get(name)?.state === 'active').map(([, router]) => router);
    const offer = (error?: unknown): void => {
      const router = routers.shift();
      if (error !== undefined || router === undefined) return next(error);
      router(req, res, offer);
    };
    offer();
  };

  private expressAdapter() {
    const adapter = this.adapterHost?.httpAdapter;
    return adapter?.getType() === 'express' ? adapter : undefined;
  }
}

/** The plugin's handlers act as the plugin; a request none of them answers goes back to the host as host code. */
function routeIn(pluginName: string, router: Router, req: PluginRequest, res: Response, next: NextFunction): void {
  const toHost: NextFunction = (error?: unknown) => runAsHost(() => next(error));
  observeRequest(pluginName, req, res, () => runAsPlugin(ownFrame(pluginName), router, req, res, toHost));
}
