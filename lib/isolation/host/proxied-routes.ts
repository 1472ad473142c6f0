import type { Request, Response, NextFunction, Router } from 'express';
import type { DefaultPluginContext } from '../../context/plugin-context.js';
import type { GuestFunctions, HostFunctions, WireRoute } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';

interface RouteTarget {
  readonly guest: RpcChannel<GuestFunctions, HostFunctions>;
  readonly route: number;
}

/**
 * An isolated plugin's `ctx.http` routes, mounted once on the host under the plugin's prefix
 * and kept across restarts: each forwards to whichever guest registered it last, and answers
 * 503 while the plugin is restarting.
 */
export class ProxiedRoutes {
  private readonly targets = new Map<string, RouteTarget | undefined>();

  constructor(private readonly context: DefaultPluginContext) {}

  register(definition: WireRoute, target: RouteTarget): void {
    const key = `${definition.method} ${definition.path}`;
    const mounted = this.targets.has(key);
    this.targets.set(key, target);
    if (mounted) return;
    this.context.http.registerRoutes((router: Router) => {
      (router as unknown as Record<string, (path: string, handler: unknown) => void>)[definition.method](definition.path, (request: Request, response: Response, next: NextFunction) => {
        void this.forward(key, request, response).catch(next);
      });
    });
  }

  /** The routes of a guest that is gone answer 503 until a new one registers them. */
  detach(guest: RouteTarget['guest'] | undefined): void {
    for (const [key, target] of this.targets) if (target?.guest === guest) this.targets.set(key, undefined);
  }

  private async forward(key: string, request: Request, response: Response): Promise<void> {
    const target = this.targets.get(key);
    if (target === undefined) {
      response.status(503).json({ statusCode: 503, message: `Plugin "${this.context.plugin.name}" is restarting` });
      return;
    }
    const answer = await target.guest.handleRoute(target.route, {
      method: request.method,
      path: request.path,
      params: { ...request.params } as Record<string, string>,
      query: { ...request.query },
      headers: { ...request.headers },
      body: request.body,
    });
    response.status(answer.status).set(answer.headers);
    if (answer.body === undefined) response.end();
    else if (typeof answer.body === 'object' && !(answer.body instanceof Uint8Array)) response.json(answer.body);
    else response.send(answer.body);
  }
}
