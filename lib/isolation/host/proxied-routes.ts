import { PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response, NextFunction, Router } from 'express';
import type { DefaultPluginContext } from '../../context/plugin-context.js';
import type { GuestFunctions, HostFunctions, WireRequest, WireResponse, WireRoute } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { MAX_PROXIED_BODY_BYTES, requestBodyBytes } from './proxied-controllers.js';

type GuestChannel = RpcChannel<GuestFunctions, HostFunctions>;

interface RouteTarget {
  readonly guest: GuestChannel;
  readonly route: number;
}

/** Sends one request to a route of `guest`, under the call timeout; rejects with the error the client is to get. */
export type SendRouteRequest = (guest: GuestChannel, route: number, request: WireRequest, label: string) => Promise<WireResponse>;

/**
 * An isolated plugin's `ctx.http` routes, mounted once on the host under the plugin's prefix
 * and kept across restarts: each forwards to whichever guest registered it last, and answers
 * 503 while the plugin is restarting.
 */
export class ProxiedRoutes {
  private readonly targets = new Map<string, RouteTarget | undefined>();

  constructor(
    private readonly context: DefaultPluginContext,
    private readonly send: SendRouteRequest,
  ) {}

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
  detach(guest: GuestChannel | undefined): void {
    for (const [key, target] of this.targets) if (target?.guest === guest) this.targets.set(key, undefined);
  }

  private async forward(key: string, request: Request, response: Response): Promise<void> {
    const target = this.targets.get(key);
    if (target === undefined) {
      response.status(503).json({ statusCode: 503, message: `Plugin "${this.context.plugin.name}" is restarting` });
      return;
    }
    // Both bodies cross the channel whole, so both are capped, as for proxied controllers.
    if (requestBodyBytes(request) > MAX_PROXIED_BODY_BYTES) {
      throw new PayloadTooLargeException(`Plugin "${this.context.plugin.name}" accepts request bodies up to ${MAX_PROXIED_BODY_BYTES} bytes`);
    }
    const wire: WireRequest = {
      method: request.method,
      path: request.path,
      params: { ...request.params } as Record<string, string>,
      query: { ...request.query },
      headers: { ...request.headers },
      body: request.body,
    };
    const answer = await this.send(target.guest, target.route, wire, `${request.method} ${request.path}`);
    response.status(answer.status).set(answer.headers);
    if (answer.body === undefined) response.end();
    else if (typeof answer.body === 'object' && !(answer.body instanceof Uint8Array)) response.json(answer.body);
    else response.send(answer.body);
  }
}
