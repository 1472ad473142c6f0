import { FacetContext } from '../../context/facet-context.js';
import type { FacetTable, PluginFacets } from '../../interfaces/facets/plugin-facets.js';
import type { ReceivedTopicMessage } from '../../interfaces/facets/topics.facet.js';
import type { PluginContext } from '../../interfaces/plugin-context.interface.js';
import type { PluginMetadata } from '../../interfaces/plugin-metadata.interface.js';
import type { HostFunctions, WireRequest, WireResponse } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { GuestBuckets } from './guest-buckets.js';
import { GuestCalls } from './guest-calls.js';
import { GuestDatabase } from './guest-database.js';
import { GuestEventBus } from './guest-event-bus.js';
import { GuestHttp } from './guest-http.js';
import { GuestLogger } from './guest-logger.js';
import { GuestSharedData } from './guest-shared-data.js';
import { GuestTopics } from './guest-topics.js';

/**
 * The guest's facets: each the public facet interface, forwarded to the host. `ctx.tasks` is
 * not available in isolation (docs/isolation.md), so the guest's context has no `tasks`.
 */
export interface GuestFacets extends Omit<PluginFacets, 'tasks'> {
  readonly logger: GuestLogger;
  readonly eventBus: GuestEventBus;
  readonly http: GuestHttp;
  readonly database: GuestDatabase;
  readonly topics: GuestTopics;
  readonly buckets: GuestBuckets;
  readonly sharedData: GuestSharedData;
  readonly call: GuestCalls;
}

/** How a guest makes each facet: a forwarder to the host, which acts as this plugin (it says who calls; the guest cannot). */
function guestFacets(metadata: Readonly<PluginMetadata>, config: Readonly<Record<string, unknown>>, host: RpcChannel<HostFunctions, object>): FacetTable<GuestFacets> {
  return {
    config: () => config,
    logger: () => new GuestLogger(host),
    eventBus: (assertValid) => new GuestEventBus(host, assertValid),
    http: (assertValid) => new GuestHttp(host, assertValid),
    database: (assertValid) => new GuestDatabase(host, (metadata.entities ?? []) as Array<new () => object>, assertValid),
    topics: (assertValid) => new GuestTopics(host, assertValid),
    buckets: (assertValid) => new GuestBuckets(host, assertValid),
    sharedData: (assertValid) => new GuestSharedData(host, assertValid),
    call: (assertValid) => new GuestCalls(metadata, host, assertValid),
  };
}

/** The `PluginContext` of a plugin running in a guest: the same members as inline, from the guest's facet table. */
export class GuestPluginContext extends FacetContext<GuestFacets> implements Omit<PluginContext, 'tasks'> {
  constructor(metadata: Readonly<PluginMetadata>, config: Readonly<Record<string, unknown>>, host: RpcChannel<HostFunctions, object>) {
    super(metadata, guestFacets(metadata, config, host));
  }

  /** What a host-side subscription heard; nothing was subscribed if the plugin never used its event bus. */
  deliverEvent(subscription: number, values: unknown[]): void {
    this.madeFacet('eventBus')?.deliver(subscription, values);
  }

  async deliverTopicMessage(subscription: number, message: ReceivedTopicMessage): Promise<void> {
    await this.madeFacet('topics')?.deliver(subscription, message);
  }

  handleRoute(route: number, request: WireRequest, maxBodyBytes: number): Promise<WireResponse> {
    // The host routes only what this context's `http` registered, so it was made.
    return this.madeFacet('http')!.handle(route, request, maxBodyBytes);
  }

  invalidate(): void {
    this.madeFacet('eventBus')?.removeAllListeners();
    this.markInvalid();
  }
}
