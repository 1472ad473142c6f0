import { PluginCallContext } from '../../context/plugin-call-context.js';
import type { DefaultPluginContext } from '../../context/plugin-context.js';
import type { ScopedBuckets } from '../../interfaces/facets/buckets.facet.js';
import type { ScopedDatabase } from '../../interfaces/facets/database.facet.js';
import type { FacetMethods } from '../../interfaces/facets/plugin-facets.js';
import type { SharedDataClient } from '../../interfaces/facets/shared-data.facet.js';
import type { ScopedTopics } from '../../interfaces/facets/topics.facet.js';
import type { GuestFunctions, HostFunctions, WireCallScope, WireLogLevel, WireRoute } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { entityNameOf } from '../../metadata/entity-schema.js';
import { REPOSITORY_METHODS } from '../repository-methods.js';
import type { PendingCalls } from './pending-calls.js';
import type { ProxiedRoutes } from './proxied-routes.js';

type Listener = (...values: unknown[]) => void;

/**
 * The host's answers to one guest incarnation, all acting through the plugin's own host-side
 * `PluginContext`: `ctx.call` names this plugin as caller whatever the guest sends, SQL and
 * resources are checked against its scope. What the incarnation subscribed is undone by `dispose`.
 */
export class GuestSession implements HostFunctions {
  private readonly listeners = new Map<number, { event: string; listener: Listener }>();
  private readonly topicSubscriptions = new Map<number, Promise<() => Promise<void>>>();
  private guest?: RpcChannel<GuestFunctions, HostFunctions>;

  constructor(
    private readonly context: DefaultPluginContext,
    private readonly routes: ProxiedRoutes,
    private readonly pending: PendingCalls,
  ) {}

  attach(guest: RpcChannel<GuestFunctions, HostFunctions>): void {
    this.guest = guest;
  }

  call(pluginId: string, method: string, args: unknown[], scope: WireCallScope): Promise<unknown> {
    return inTenant(scope, () => Promise.resolve(this.context.call(pluginId, method, ...args)));
  }

  callStarted(call: number): void {
    this.pending.started(call);
  }

  emit(event: string, values: unknown[], scope: WireCallScope): void {
    inTenant(scope, () => this.context.eventBus.emit(event, ...values));
  }

  subscribe(subscription: number, event: string, once: boolean): void {
    const listener: Listener = (...values) => {
      if (once) this.unsubscribe(subscription);
      void this.guest?.deliverEvent.asEvent(subscription, values, tenantScope()).catch(() => undefined);
    };
    this.listeners.set(subscription, { event, listener });
    this.context.eventBus.on(event, listener);
  }

  unsubscribe(subscription: number): void {
    const entry = this.listeners.get(subscription);
    if (entry === undefined) return;
    this.listeners.delete(subscription);
    if (this.context.valid) this.context.eventBus.off(entry.event, entry.listener);
  }

  /** The line carries the caller the guest names only when that plugin called this guest: a guest cannot sign its lines with any other name. */
  log(level: WireLogLevel, message: string, scope: WireCallScope): void {
    const { callerPluginId, tenantId, tenantSlug } = scope;
    const caller = callerPluginId !== undefined && this.pending.calledBy(callerPluginId) ? callerPluginId : undefined;
    PluginCallContext.run({ callerPluginId: caller, tenantId, tenantSlug }, () => this.context.logger[level](message));
  }

  async databaseReady(): Promise<void> {
    await this.context.database.ready();
  }

  executeQuery(...args: Parameters<ScopedDatabase['executeQuery']>): Promise<unknown> {
    return this.context.database.executeQuery(...args);
  }

  async repository(entityName: string, method: string, args: unknown[]): Promise<unknown> {
    // The plugin's entity classes, or the schemas standing in for those of a described plugin.
    const entity = (this.context.plugin.entities ?? []).find((candidate) => entityNameOf(candidate) === entityName);
    if (entity === undefined) throw new Error(`Plugin "${this.context.plugin.name}" has no entity "${entityName}" in @Plugin({ entities })`);
    if (!REPOSITORY_METHODS.has(method)) throw new Error(`Plugin "${this.context.plugin.name}" may not call repository method "${method}" from isolation`);
    await this.context.database.ready();
    const repository = this.context.database.getRepository(entity as never) as unknown as Record<string, (...args: unknown[]) => unknown>;
    return repository[method](...args);
  }

  topicSend(...args: Parameters<ScopedTopics['send']>): Promise<void> {
    return this.context.topics.send(...args);
  }

  async topicSubscribe(subscription: number, topic: string): Promise<void> {
    const unsubscribe = this.context.topics.subscribe(topic, (message) => this.guest?.deliverTopicMessage(subscription, message));
    this.topicSubscriptions.set(subscription, unsubscribe);
    await unsubscribe;
  }

  async topicUnsubscribe(subscription: number): Promise<void> {
    const unsubscribe = this.topicSubscriptions.get(subscription);
    this.topicSubscriptions.delete(subscription);
    await (await unsubscribe)?.();
  }

  bucket<K extends keyof ScopedBuckets>(operation: K, args: Parameters<ScopedBuckets[K]>): ReturnType<ScopedBuckets[K]> {
    const buckets: FacetMethods<ScopedBuckets> = this.context.buckets;
    return buckets[operation](...withBuffers(args));
  }

  sharedData<K extends keyof SharedDataClient>(operation: K, args: Parameters<SharedDataClient[K]>, scope: WireCallScope): ReturnType<SharedDataClient[K]> {
    const sharedData: FacetMethods<SharedDataClient> = this.context.sharedData;
    return inTenant(scope, () => sharedData[operation](...args));
  }

  registerRoute(route: number, definition: WireRoute): void {
    this.routes.register(definition, { guest: this.guest!, route });
  }

  /** A running plugin's guest has no migration open: those run in a guest of their own (`migrate-in-guest.ts`). */
  migrationQuery(): Promise<unknown> {
    return Promise.reject(new Error(`Plugin "${this.context.plugin.name}" runs no migration in this guest`));
  }

  /** Undoes what this incarnation subscribed on the host; its routes answer 503 until the next one registers them. */
  async dispose(): Promise<void> {
    for (const subscription of [...this.listeners.keys()]) this.unsubscribe(subscription);
    const topics = [...this.topicSubscriptions.keys()];
    await Promise.all(topics.map((subscription) => this.topicUnsubscribe(subscription).catch(() => undefined)));
    this.routes.detach(this.guest);
  }
}

/** Only the tenant comes from the guest: it is where the work is for, not who does it. */
function inTenant<T>(scope: WireCallScope, run: () => T): T {
  return scope.tenantId === undefined ? run() : PluginCallContext.run({ tenantId: scope.tenantId, tenantSlug: scope.tenantSlug }, run);
}

/** Bytes arrive as a Uint8Array (structured clone); the host's buckets take a Buffer, as inline. */
function withBuffers<T extends unknown[]>(args: T): T {
  return args.map((arg) => (arg instanceof Uint8Array && !Buffer.isBuffer(arg) ? Buffer.from(arg) : arg)) as T;
}

function tenantScope(): WireCallScope {
  const { tenantId, tenantSlug } = PluginCallContext.current();
  return { ...(tenantId === undefined ? {} : { tenantId }), ...(tenantSlug === undefined ? {} : { tenantSlug }) };
}
