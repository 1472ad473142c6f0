import { Module, type DynamicModule, type INestApplication, type INestApplicationContext, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory, RouterModule } from '@nestjs/core';
import { isMainThread } from 'node:worker_threads';
import { PLUGIN_CONTEXTS } from '../../constants.js';
import { exposableInstances, findPluginModules } from '../../registry/find-plugin-modules.js';
import type { ExposedMethod } from '../../registry/exposed-method.js';
import { collectExposedMethods } from '../../registry/collect-exposed-methods.js';
import { collectPluginEventListeners, type PluginEventListener } from '../../registry/collect-plugin-event-listeners.js';
import type { CallPermissions } from '../../registry/call-guards/call-permissions.js';
import { guardExposedMethod } from '../../registry/call-guards/guard-exposed-method.js';
import type { GuestPluginContext } from './guest-plugin-context.js';
import type { WireExposedMethod } from '../guest-protocol.js';
import { declaresControllers, GuestControllers, refuseStreamingRoutes } from './guest-controllers.js';

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
  /** the plugin's Nest controllers, when it declares any */
  readonly controllers?: GuestControllers;
}

/**
 * The plugin's module in a Nest application context of its own: the plugin contexts answer
 * with the guest context, so `@InjectPluginContext()` and `@InjectPluginRepository()` work
 * as inline. Argument validation and timeouts of `@Expose` options run here, permissions on the host.
 * A plugin with controllers gets a Nest HTTP application that never listens (`GuestControllers`).
 */
export async function createGuestApplication(pluginClass: Type<unknown>, pluginName: string, context: GuestPluginContext): Promise<GuestApplication> {
  const contexts: DynamicModule = {
    module: GuestContextsModule,
    global: true,
    providers: [{ provide: PLUGIN_CONTEXTS, useValue: { contextFor: () => context } }],
    exports: [PLUGIN_CONTEXTS],
  };
  const served = await declaresControllers(pluginClass);
  // As at boot in the host: the plugin's own controllers under `plugins/<name>`, those of modules it imports at their own paths.
  @Module({ imports: [contexts, pluginClass, ...(served ? [RouterModule.register([{ path: `plugins/${pluginName}`, module: pluginClass }])] : [])] })
  class GuestRootModule {}
  const app = served ? await createHttpApplication(GuestRootModule, pluginName) : await NestFactory.createApplicationContext(GuestRootModule, GUEST_APP_OPTIONS);
  const moduleRef = findPluginModules(app.get(ModulesContainer).values(), [pluginClass])[0];
  const exposed: WireExposedMethod[] = [];
  const methods = collectExposedMethods(pluginName, exposableInstances(moduleRef), (fn, declaration) => {
    exposed.push({ name: declaration.name, permissions: declaration.guard?.permissions ?? [] });
    return guardExposedMethod(fn, { ...declaration, guard: { ...declaration.guard, permissions: [] } }, pluginName, CHECKED_BY_HOST);
  });
  const guarded = new Set(exposed.map(({ name }) => name));
  for (const name of methods.keys()) if (!guarded.has(name)) exposed.push({ name, permissions: [] });
  return {
    app,
    methods,
    exposed,
    eventListeners: collectPluginEventListeners(exposableInstances(moduleRef)),
    instance: moduleRef.instance,
    ...(served ? { controllers: new GuestControllers(app as INestApplication) } : {}),
  };
}

const GUEST_APP_OPTIONS = { logger: ['error', 'warn'] as ('error' | 'warn')[], abortOnError: false };

/** Express, loaded only for a plugin with controllers; the body arrives parsed by the host, so no parser runs here. */
async function createHttpApplication(rootModule: Type<unknown>, pluginName: string): Promise<INestApplication> {
  const { ExpressAdapter } = await import('@nestjs/platform-express');
  const app = await NestFactory.create(rootModule, new ExpressAdapter(), { ...GUEST_APP_OPTIONS, bodyParser: false });
  try {
    await app.init();
    refuseStreamingRoutes(app, pluginName, isMainThread ? 'process' : 'thread');
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
