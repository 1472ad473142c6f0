import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { PluginRecordStore } from '../registry/plugin-record.store.js';
import { runAsPlugin } from './plugin-call-context.js';

/**
 * Runs the handlers of a plugin's own Nest controllers as that plugin (docs/security.md), like
 * its `ctx.http` routes: what they call through the registry, the gateway or the services
 * layer is called as the plugin, not as the host. Guards run before interceptors, as host code.
 * PluginModule installs it for the whole application; other controllers pass through.
 */
@Injectable()
export class PluginControllerInterceptor implements NestInterceptor {
  constructor(private readonly records: PluginRecordStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const record = this.records.getByController(context.getClass());
    if (record === undefined) return next.handle();
    // Subscribing inside run() puts the handler, and everything it awaits, in the plugin's frame.
    return new Observable((subscriber) => runAsPlugin(record.ownCodeFrame, () => next.handle().subscribe(subscriber)));
  }
}
