import { UndeclaredDependencyError } from '../../errors/index.js';
import type { PluginCalls } from '../../interfaces/facets/call.facet.js';
import type { PluginMetadata } from '../../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../../interfaces/plugin-types.interface.js';
import { normalizeDependency } from '../../metadata/normalize-dependency.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentTenantScope } from './guest-call-scope.js';

/** `ctx.call` and the dependency handles in a guest: every call goes to the host, which names this plugin as caller. */
export class GuestCalls implements PluginCalls {
  private readonly declared: ReadonlyMap<string, { optional: boolean }>;

  constructor(
    private readonly metadata: Readonly<PluginMetadata>,
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {
    this.declared = new Map((metadata.dependencies ?? []).map(normalizeDependency).map((dependency) => [dependency.name, dependency]));
  }

  /** Always a promise: the answer comes from another thread or process. */
  call(pluginId: string, method: string, ...args: unknown[]): any {
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

  private assertDeclared(name: string): void {
    this.assertValid();
    if (!this.declared.has(name)) throw new UndeclaredDependencyError(this.metadata.name, name);
  }
}
