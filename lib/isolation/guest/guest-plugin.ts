import type { Type } from '@nestjs/common';
import { runAsCaller, PluginCallContext } from '../../context/plugin-call-context.js';
import { MethodNotExposedError } from '../../errors/index.js';
import { subscribePluginEventListeners } from '../../registry/subscribe-plugin-event-listeners.js';
import type { OnPluginDestroy, OnPluginInit } from '../../interfaces/plugin-lifecycle.interface.js';
import type { ReceivedTopicMessage } from '../../interfaces/facets/topics.facet.js';
import { getPluginMetadata } from '../../metadata/plugin-metadata.accessor.js';
import type { GuestBootOptions, GuestFunctions, HostFunctions, WireCallScope, WireExposedMethod, WireHttpRequest, WireHttpResponse, WireMigrationRun, WireRequest, WireResponse, WireRoute } from '../guest-protocol.js';
import { pluginMigrations } from '../../migrations/plugin-migration.js';
import type { ConfigOutcome } from '../../metadata/described-config.js';
import type { DescribeOutcome } from '../plugin-description.js';
import type { RpcChannel } from '../rpc-channel.js';
import { createGuestApplication, type GuestApplication } from './guest-application.js';
import { guestMigrationQueryRunner } from './guest-migration-query-runner.js';
import { GuestPluginContext } from './guest-plugin-context.js';
import { sharedCallsStarted } from './guest-endpoint.js';
import { PluginDescriber } from './plugin-describer.js';

/** The guest's answers to the host: one plugin, its Nest context and its `PluginContext`. */
export class GuestPlugin implements GuestFunctions {
  private application?: GuestApplication;
  private context?: GuestPluginContext;
  private readonly describer = new PluginDescriber();
  private readonly callsStarted = sharedCallsStarted();

  constructor(private readonly host: () => RpcChannel<HostFunctions, GuestFunctions>) {}

  describe(moduleUrl: string, trustedPlugins: readonly string[]): Promise<DescribeOutcome> {
    return this.describer.describe(moduleUrl, trustedPlugins);
  }

  resolveConfig(values: unknown): Promise<ConfigOutcome> {
    return this.describer.resolveConfig(values);
  }

  async boot({ moduleUrl, pluginName, config }: GuestBootOptions): Promise<WireExposedMethod[]> {
    const pluginClass = await importPluginClass(moduleUrl, pluginName);
    this.context = new GuestPluginContext(getPluginMetadata(pluginClass)!, config, this.host());
    this.application = await createGuestApplication(pluginClass, pluginName, this.context);
    return this.application.exposed;
  }

  async init(): Promise<void> {
    const { eventListeners, instance } = this.booted();
    subscribePluginEventListeners(this.context! as never, eventListeners);
    await (instance as Partial<OnPluginInit>).onPluginInit?.(this.context as never);
  }

  invoke(method: string, args: unknown[], scope: WireCallScope, call: number): Promise<unknown> {
    if (this.callsStarted === undefined) void this.host().callStarted.asEvent(call);
    else Atomics.store(this.callsStarted, 0, call | 0);
    const exposed = this.booted().methods.get(method);
    if (exposed === undefined) throw new MethodNotExposedError(this.context!.plugin.name, method);
    const run = () => (scope.callerPluginId === undefined ? exposed.fn.apply(exposed.target, args) : runAsCaller(scope.callerPluginId, exposed, args));
    return Promise.resolve(scope.tenantId === undefined ? run() : PluginCallContext.run({ tenantId: scope.tenantId, tenantSlug: scope.tenantSlug }, run));
  }

  deliverEvent(subscription: number, values: unknown[], scope: WireCallScope): void {
    const deliver = () => this.context?.deliverEvent(subscription, values);
    scope.tenantId === undefined ? deliver() : PluginCallContext.run(scope, deliver);
  }

  deliverTopicMessage(subscription: number, message: ReceivedTopicMessage): Promise<void> {
    return this.context!.deliverTopicMessage(subscription, message);
  }

  handleRoute(route: number, request: WireRequest, scope: WireCallScope, maxBodyBytes: number): Promise<WireResponse> {
    return inTenantOf(scope, () => this.context!.handleRoute(route, request, maxBodyBytes));
  }

  controllerRoutes(): WireRoute[] {
    return this.booted().controllers?.routes ?? [];
  }

  handleRequest(request: WireHttpRequest, scope: WireCallScope, maxBodyBytes: number): Promise<WireHttpResponse> {
    const { controllers } = this.booted();
    if (controllers === undefined) throw new Error(`Plugin "${this.context!.plugin.name}" has no controllers`);
    return inTenantOf(scope, () => controllers.handle(request, maxBodyBytes));
  }

  async destroy(): Promise<void> {
    const { app, instance } = this.booted();
    try {
      await (instance as Partial<OnPluginDestroy>).onPluginDestroy?.();
    } finally {
      this.context!.invalidate();
      await app.close();
    }
  }

  async runMigration({ moduleUrl, pluginName, name, checksum, direction, databaseType }: WireMigrationRun): Promise<void> {
    const metadata = getPluginMetadata(await importPluginClass(moduleUrl, pluginName))!;
    const migration = pluginMigrations(metadata.migrations ?? []).find((candidate) => candidate.name === name);
    if (migration === undefined) throw new Error(`Plugin "${pluginName}" has no migration "${name}" in @Plugin({ migrations })`);
    if (migration.checksum !== checksum) throw new Error(`Plugin "${pluginName}": migration "${name}" changed since the plugin was read; load it again`);
    await migration.instance[direction](guestMigrationQueryRunner(pluginName, databaseType, this.host()));
  }

  private booted(): GuestApplication {
    if (this.application === undefined) throw new Error('The isolated plugin is not booted');
    return this.application;
  }
}

async function importPluginClass(moduleUrl: string, pluginName: string): Promise<Type<unknown>> {
  const exports = (await import(moduleUrl)) as Record<string, unknown>;
  const pluginClass = Object.values(exports).find((candidate) => getPluginMetadata(candidate)?.name === pluginName) as Type<unknown> | undefined;
  if (pluginClass === undefined) throw new Error(`The plugin's module exports no @Plugin class named "${pluginName}"`);
  return pluginClass;
}

/** A request's handler runs in the tenant the host resolved for it, as inline. */
function inTenantOf<T>(scope: WireCallScope, handle: () => T): T {
  return scope.tenantId === undefined ? handle() : PluginCallContext.run({ tenantId: scope.tenantId, tenantSlug: scope.tenantSlug }, handle);
}
