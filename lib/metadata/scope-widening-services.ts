import { DiscoveryModule, DiscoveryService, HttpAdapterHost, LazyModuleLoader, ModuleRef, ModulesContainer } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PLUGIN_EVENT_EMITTER } from '../constants.js';

/**
 * Host services that can widen or step around a plugin's scope, by token, under the name the
 * error gives each. Nest's `ModuleRef`, `ModulesContainer`, `DiscoveryService`,
 * `LazyModuleLoader` and `HttpAdapterHost` reach every provider or the HTTP server; of the
 * library's own, `PluginManager` can rewrite a plugin's resource overrides (map its table to any
 * table), `PluginResources` holds the DataSource, `SharedDataService` writes as any owner,
 * `PluginRegistry` and `PluginGateway` call any plugin. A plugin that injects one (or imports
 * such a module, `DiscoveryModule`) is refused like one injecting `DataSource`, unless trusted.
 */
export type ScopeWideningServices = ReadonlyMap<unknown, string>;

/** Injection token of the whole list: PluginModule provides it, since it knows the library's services. */
export const SCOPE_WIDENING_SERVICES = Symbol('nestjs-plugins:ScopeWideningServices');

/** What any Nest application offers a plugin; a guest, which has no library services, checks against these. */
export const NEST_SCOPE_WIDENING_SERVICES: ScopeWideningServices = new Map<unknown, string>([
  ...[ModuleRef, ModulesContainer, DiscoveryService, DiscoveryModule, LazyModuleLoader, HttpAdapterHost].map((door): [unknown, string] => [door, door.name]),
  // A plugin has `ctx.eventBus`, whose listeners act as the plugin and are removed with it.
  // Named here: the class's own name is eventemitter2's `EventEmitter`.
  [EventEmitter2, 'EventEmitter2'],
  [PLUGIN_EVENT_EMITTER, 'EventEmitter2'],
]);

/** Nest's doors and the given services of the library, each under its class name. */
export function scopeWideningServices(libraryServices: readonly Function[]): ScopeWideningServices {
  return new Map([...NEST_SCOPE_WIDENING_SERVICES, ...libraryServices.map((service): [unknown, string] => [service, service.name])]);
}
