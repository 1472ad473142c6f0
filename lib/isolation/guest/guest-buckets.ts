import type { ScopedBuckets } from '../../interfaces/facets/buckets.facet.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';

/** `ctx.buckets` in a guest. */
export class GuestBuckets implements ScopedBuckets {
  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {}

  async upload(...args: Parameters<ScopedBuckets['upload']>): Promise<void> {
    await this.run('upload', args);
  }

  /** Bytes cross as a Uint8Array; the plugin gets the Buffer it would get inline. */
  async download(...args: Parameters<ScopedBuckets['download']>): Promise<Buffer> {
    const bytes: Uint8Array = await this.run('download', args);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(...args: Parameters<ScopedBuckets['delete']>): Promise<void> {
    await this.run('delete', args);
  }

  list(...args: Parameters<ScopedBuckets['list']>): Promise<string[]> {
    return this.run('list', args);
  }

  private run<K extends keyof ScopedBuckets>(operation: K, args: Parameters<ScopedBuckets[K]>): ReturnType<ScopedBuckets[K]> {
    this.assertValid();
    return this.host.bucket(operation, args);
  }
}
