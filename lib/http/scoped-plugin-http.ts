import type { Router } from 'express';
import type { PluginHttp } from './plugin-http.interface.js';
import type { PluginRoutes } from './plugin-routes.js';

/** `ctx.http` of one plugin: its routes go to the router kept under its name. */
export class ScopedPluginHttp implements PluginHttp {
  constructor(
    private readonly pluginName: string,
    private readonly routes: PluginRoutes,
    // Checked on every call: a plugin may keep `ctx.http` around after it was unloaded.
    private readonly assertValid: () => void,
  ) {}

  registerRoutes(register: (router: Router) => void): void {
    this.assertValid();
    register(this.routes.routerOf(this.pluginName));
  }
}
