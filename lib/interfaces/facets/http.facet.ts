import type { Router } from 'express';

/** A plugin's own HTTP routes, served under `/plugins/<plugin-name>/` while the plugin is active. */
export interface PluginHttp {
  /**
   * Calls `register` with the plugin's Express router; its paths are relative to
   * `/plugins/<plugin-name>`. Calling it again adds to the same router. The routes are
   * removed when the plugin stops. Throws `PluginHttpUnavailableError` when the
   * application has no Express HTTP server (e.g. `createApplicationContext`).
   */
  registerRoutes(register: (router: Router) => void): void;
}
