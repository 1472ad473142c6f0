import { PayloadTooLargeException } from '@nestjs/common';
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response, Router } from 'express';
import { observeRequest } from '../../observability/observed-request.js';
import type { WireHttpRequest, WireHttpResponse, WireRoute } from '../guest-protocol.js';

/** A request's body and an answer's, each way, at most: both cross the channel whole (docs/isolation.md). */
export const MAX_PROXIED_BODY_BYTES = 1_048_576;

/** Sends one request to the guest; rejects with the `HttpException` the client is to get. */
export type ForwardRequest = (request: WireHttpRequest, label: string) => Promise<WireHttpResponse>;

/** Runs `handle` in the request's tenant, as the host's routes do (`PluginRoutes.inRequestTenant`); a refused tenant goes to `fail`. */
export type InRequestTenant = (request: Request, handle: () => void, fail: (error: unknown) => void) => void;

/** Written by the host's own HTTP stack, never taken from the guest: they frame the connection. */
const CONNECTION_HEADERS = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * The routes of an isolated plugin's Nest controllers, as its guest reported them, on a router
 * the host serves while the plugin is active (`PluginRoutes.serveControllers`): each request
 * is forwarded whole (method, URL without the global prefix, headers, parsed body) and the
 * guest's answer written back. Errors go to Nest's exception layer, answered as any Nest error.
 * Each request gets the route span an inline controller's gets (`plugin x route GET /plugins/x/items/:id`,
 * the child of the request's `traceparent`), and the forward is sent inside it, so the guest's
 * calls and statements are its children.
 */
export function proxiedControllerRouter(pluginName: string, routes: readonly WireRoute[], globalPrefix: string, forward: ForwardRequest, inTenant: InRequestTenant): Router {
  const express = createRequire(import.meta.url)('express') as typeof import('express');
  const router = express.Router();
  const prefix = globalPrefix === '' ? '' : `/${globalPrefix.replace(/^\/+|\/+$/g, '')}`;
  const handler = (request: Request, response: Response, next: NextFunction): void => {
    const label = `${request.method} ${request.path}`;
    if (requestBodyBytes(request) > MAX_PROXIED_BODY_BYTES) {
      return next(new PayloadTooLargeException(`Plugin "${pluginName}" accepts request bodies up to ${MAX_PROXIED_BODY_BYTES} bytes`));
    }
    const url = prefix !== '' && request.originalUrl.startsWith(prefix) ? request.originalUrl.slice(prefix.length) || '/' : request.originalUrl;
    const forwarded = () => forward({ method: request.method, url, headers: { ...request.headers }, body: request.body }, label);
    // Nest's interceptors never see this router: the tenant is resolved here, as for the plugin's routes.
    inTenant(request, () => {
      observeRequest(pluginName, request, response, forwarded).then((answer) => {
        response.status(answer.status);
        for (const [name, value] of Object.entries(answer.headers)) if (!CONNECTION_HEADERS.has(name.toLowerCase())) response.setHeader(name, value);
        response.end(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
      }).catch(next);
    }, next);
  };
  const methods = router as unknown as Record<string, (path: string, handler: unknown) => void>;
  for (const { method, path } of routes) methods[method]?.(`${prefix}${path}`, handler);
  return router;
}

/** The declared length when there is one (the parser has checked it), else the parsed body's as JSON. */
export function requestBodyBytes(request: Request): number {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared)) return declared;
  const body: unknown = request.body;
  if (body === undefined) return 0;
  if (body instanceof Uint8Array) return body.byteLength;
  return Buffer.byteLength(typeof body === 'string' ? body : (JSON.stringify(body) ?? ''));
}
