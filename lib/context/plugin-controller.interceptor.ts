import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { observeRequest } from '../observability/observed-request.js';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { runAsPlugin } from './plugin-call-context.js';

/**
 * Runs the handlers of a plugin's own Nest controllers as that plugin (docs/security.md), like
 * its `ctx.http` routes: what they call through the registry, the gateway or the services
 * layer is called as the plugin, not as the host. Guards run before interceptors, as host code.
 * Over Express, the request is observed like a `ctx.http` route's: its span
 * `plugin x route GET /plugins/x/orders/:id`, the child of the trace its headers carry, and a
 * 5xx answer in the plugin's error ring.
 * PluginModule installs it for the whole application; other controllers pass through.
 */
@Injectable()
export class PluginControllerInterceptor implements NestInterceptor {
  constructor(private readonly records: PluginRecordStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const record = this.records.getByController(context.getClass());
    if (record === undefined) return next.handle();
    // Subscribing inside run() puts the handler, and everything it awaits, in the plugin's frame.
    const run = (subscriber: Subscriber<unknown>) => runAsPlugin(record.ownCodeFrame, () => next.handle().subscribe(subscriber));
    const request = context.getType() === 'http' ? context.switchToHttp().getRequest<Parameters<typeof observeRequest>[1]>() : undefined;
    const response = context.getType() === 'http' ? context.switchToHttp().getResponse<Parameters<typeof observeRequest>[2]>() : undefined;
    // Express' request and response (Fastify's reply has no `once`: its requests run unobserved).
    if (typeof request?.path !== 'string' || typeof response?.once !== 'function') return new Observable(run);
    return new Observable((subscriber) => observeRequest(record.name, request, response, () => run(subscriber)));
  }
}
