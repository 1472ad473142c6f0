import { Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { isMainThread } from 'node:worker_threads';
import { PLUGIN_CONTEXTS } from '../../constants.js';
import { PluginControllersIsolatedError } from '../../errors/index.js';
import { exposableInstances, findPluginModules } from '../../registry/find-plugin-modules.js';
import type { ExposedMethod } from '../../registry/exposed-method.js';
import { collectExposedMethods } from '../../registry/collect-exposed-methods.js';
import { collectPluginEventListeners, type PluginEventListener } from '../../registry/collect-plugin-event-listeners.js';
import type { CallPermissions } from '../../registry/call-guards/call-permissions.js';
import { guardExposedMethod } from '../../registry/call-guards/guard-exposed-method.js';
import type { GuestPluginContext } from './guest-plugin-context.js';
import type { WireExposedMethod } from '../guest-protocol.js';

@Module({})
class GuestContextsModule {}

/** Permissions are the host's to check (it knows the caller); in the guest every caller passes. */
const CHECKED_BY_HOST = { assertHeld: () => undefined } as unknown as CallPermissions;

export interface GuestApplication {
  readonly app: INestApplicationContext;
  readonly methods: ReadonlyMap<string, ExposedMethod>;
  readonly exposed: WireExposedMethod[];
  readonly eventListeners: readonly PluginEventListener[];
  readonly instance: object;
}

/**
 * The plugin's module in a Nest application context of its own: the plugin contexts answer
 * with the guest context, so `@InjectPluginContext()` and `@InjectPluginRepository()` work
 * as inline. Argument validation and timeouts of `@Expose` options run here, permissions on the host.
 */
export async function createGuestApplication(pluginClass: Type<unknown>, pluginName: string, context: GuestPluginContext): Promise<GuestApplication> {
  const contexts: DynamicModule = {
    module: GuestContextsModule,
    global: true,
    providers: [{ provide: PLUGIN_CONTEXTS, useValue: { contextFor: () => context } }],
    exports: [PLUGIN_CONTEXTS],
  };
  @Module({ imports: [contexts, pluginClass] })
  class GuestRootModule {}
  const app = await NestFactory.createApplicationContext(GuestRootModule, { logger: ['error', 'warn'], abortOnError: false });
  await refuseControllers(app, pluginName);
  const moduleRef = findPluginModules(app.get(ModulesContainer).values(), [pluginClass])[0];
  const exposed: WireExposedMethod[] = [];
  const methods = collectExposedMethods(pluginName, exposableInstances(moduleRef), (fn, declaration) => {
    exposed.push({ name: declaration.name, permissions: declaration.guard?.permissions ?? [] });
    return guardExposedMethod(fn, { ...declaration, guard: { ...declaration.guard, permissions: [] } }, pluginName, CHECKED_BY_HOST);
  });
  const guarded = new Set(exposed.map(({ name }) => name));
  for (const name of methods.keys()) if (!guarded.has(name)) exposed.push({ name, permissions: [] });
  return { app, methods, exposed, eventListeners: collectPluginEventListeners(exposableInstances(moduleRef)), instance: moduleRef.instance };
}

/** The guest has no HTTP server: controllers anywhere in the plugin's modules would never answer, so the start fails and says why. */
async function refuseControllers(app: INestApplicationContext, pluginName: string): Promise<void> {
  const controllers = [...app.get(ModulesContainer).values()].flatMap((moduleRef) => [...moduleRef.controllers.values()].map((wrapper) => wrapper.name));
  if (controllers.length === 0) return;
  await app.close();
  throw new PluginControllersIsolatedError(pluginName, isMainThread ? 'process' : 'thread', controllers.map(String));
}
