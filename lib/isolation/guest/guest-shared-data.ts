import type { SharedDataClient } from '../../interfaces/facets/shared-data.facet.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentTenantScope } from './guest-call-scope.js';

/** `ctx.sharedData` in a guest: the host owns the keys in the plugin's name, for the current tenant. */
export class GuestSharedData implements SharedDataClient {
  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {}

  async set(...args: Parameters<SharedDataClient['set']>): Promise<void> {
    await this.run('set', args);
  }

  get<T = unknown>(...args: Parameters<SharedDataClient['get']>): Promise<T | undefined> {
    return this.run('get', args) as Promise<T | undefined>;
  }

  delete(...args: Parameters<SharedDataClient['delete']>): Promise<boolean> {
    return this.run('delete', args);
  }

  list(...args: Parameters<SharedDataClient['list']>): Promise<string[]> {
    return this.run('list', args);
  }

  private run<K extends keyof SharedDataClient>(operation: K, args: Parameters<SharedDataClient[K]>): ReturnType<SharedDataClient[K]> {
    this.assertValid();
    return this.host.sharedData(operation, args, currentTenantScope());
  }
}
