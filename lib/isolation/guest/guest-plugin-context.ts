import { ContextInvalidatedError, UndeclaredDependencyError } from '../../errors/index.js';
import type { PluginMetadata } from '../../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../../interfaces/plugin-types.interface.js';
import { normalizeDependency } from '../../metadata/normalize-dependency.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentTenantScope } from './guest-call-scope.js';
import { GuestDatabase } from './guest-database.js';
import { GuestEventBus } from './guest-event-bus.js';
import { GuestHttp } from './guest-http.js';
import { GuestLogger } from './guest-logger.js';
import { GuestBuckets, GuestSharedData, GuestTopics } from './guest-resources.js';

/**
 * The `PluginContext` of a plugin running in a guest: the same members, each forwarded to the
 * host, which acts as this plugin (it says who calls; the guest cannot).
 */
export class GuestPluginContext {
  private isValid = true;
  readonly logger: GuestLogger;
  readonly eventBus: GuestEventBus;
  readonly http: GuestHttp;
  readonly database: GuestDatabase;
  readonly topics: GuestTopics;
  readonly buckets: GuestBuckets;
  readonly sharedData: GuestSharedData;
  private readonly declared: ReadonlyMap<string, { optional: boolean }>;

  constructor(
    private readonly metadata: Readonly<PluginMetadata>,
    readonly config: Readonly<Record<string, unknown>>,
    private readonly host: RpcChannel<HostFunctions, object>,
  ) {
    const assertValid = () => this.assertValid();
    this.logger = new GuestLogger(host);
    this.eventBus = new GuestEventBus(host, assertValid);
    this.http = new GuestHttp(host, assertValid);
    this.database = new GuestDatabase(host, (metadata.entities ?? []) as Array<new () => object>, assertValid);
    this.topics = new GuestTopics(host, assertValid);
    this.buckets = new GuestBuckets(host, assertValid);
    this.sharedData = new GuestSharedData(host, assertValid);
    this.declared = new Map((metadata.dependencies ?? []).map(normalizeDependency).map((dependency) => [dependency.name, dependency]));
  }

  get plugin(): Readonly<PluginMetadata> {
    this.assertValid();
    return this.metadata;
  }

  get valid(): boolean {
    return this.isValid;
  }

  /** Always a promise: the answer comes from another thread or process. */
  call(pluginId: string, method: string, ...args: unknown[]): Promise<unknown> {
    this.assertDeclared(pluginId);
    return this.host.call(pluginId, method, args, currentTenantScope());
  }

  /** A handle whose every method calls through `ctx.call` (whether the dependency is active is known only by calling). */
  getDependency(name: string): PluginHandle<any> | undefined {
    this.assertDeclared(name);
    return new Proxy({} as PluginHandle, {
      get: (_, method) => (typeof method !== 'string' || method === 'then' ? undefined : (...args: unknown[]) => this.call(name, method, ...args)),
    });
  }

  getDependencies(): Map<string, PluginHandle> {
    this.assertValid();
    return new Map([...this.declared.keys()].map((name) => [name, this.getDependency(name)!]));
  }

  invalidate(): void {
    this.eventBus.removeAllListeners();
    this.isValid = false;
  }

  private assertDeclared(name: string): void {
    this.assertValid();
    if (!this.declared.has(name)) throw new UndeclaredDependencyError(this.metadata.name, name);
  }

  private assertValid(): void {
    if (!this.isValid) throw new ContextInvalidatedError(this.metadata.name);
  }
}
