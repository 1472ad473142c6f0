import type { Router } from 'express';
import type { PluginHttp } from '../interfaces/facets/http.facet.js';
import type { PluginRoutes } from './plugin-routes.js';

/** `ctx.http` of one plugin: its routes go to the router kept under its name. */
export class ScopedPluginHttp implements PluginHttp {
  readonly #pluginName: string;
  readonly #routes: PluginRoutes;
  // Checked on every call: a plugin may keep `ctx.http` around after it was unloaded.
  readonly #assertValid: () => void;

  constructor(pluginName: string, routes: PluginRoutes, assertValid: () => void) {
    this.#pluginName = pluginName;
    this.#routes = routes;
    this.#assertValid = assertValid;
  }

  registerRoutes(register: (router: Router) => void): void {
    this.#assertValid();
    register(this.#routes.routerOf(this.#pluginName));
  }
}
