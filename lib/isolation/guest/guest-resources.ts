import type { ReceivedTopicMessage } from '../../interfaces/scoped-resources.interface.js';
import type { SharedDataListOptions, SharedDataSetOptions } from '../../services/shared-data/shared-data.interfaces.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentTenantScope } from './guest-call-scope.js';

type Host = RpcChannel<HostFunctions, object>;

/** `ctx.topics` in a guest: the host publishes and subscribes under the plugin's scope. */
export class GuestTopics {
  private readonly handlers = new Map<number, (message: ReceivedTopicMessage) => unknown>();
  private nextSubscription = 1;

  constructor(
    private readonly host: Host,
    private readonly assertValid: () => void,
  ) {}

  send(topic: string, messages: { key?: string; value: unknown }[]): Promise<void> {
    this.assertValid();
    return this.host.topicSend(topic, messages);
  }

  async subscribe(topic: string, handler: (message: ReceivedTopicMessage) => unknown): Promise<() => Promise<void>> {
    this.assertValid();
    const subscription = this.nextSubscription++;
    this.handlers.set(subscription, handler);
    await this.host.topicSubscribe(subscription, topic);
    return async () => {
      this.handlers.delete(subscription);
      await this.host.topicUnsubscribe(subscription);
    };
  }

  async deliver(subscription: number, message: ReceivedTopicMessage): Promise<void> {
    await this.handlers.get(subscription)?.(message);
  }
}

/** `ctx.buckets` in a guest. */
export class GuestBuckets {
  constructor(
    private readonly host: Host,
    private readonly assertValid: () => void,
  ) {}

  async upload(key: string, body: string | Buffer, contentType: string, bucket: string): Promise<void> {
    this.assertValid();
    await this.host.bucket('upload', [key, body, contentType, bucket]);
  }

  async download(key: string, bucket: string): Promise<Buffer> {
    this.assertValid();
    const bytes = (await this.host.bucket('download', [key, bucket])) as Uint8Array;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(key: string, bucket: string): Promise<void> {
    this.assertValid();
    await this.host.bucket('delete', [key, bucket]);
  }

  list(bucket: string, prefix?: string): Promise<string[]> {
    this.assertValid();
    return this.host.bucket('list', [bucket, prefix]) as Promise<string[]>;
  }
}

/** `ctx.sharedData` in a guest: the host owns the keys in the plugin's name, for the current tenant. */
export class GuestSharedData {
  constructor(
    private readonly host: Host,
    private readonly assertValid: () => void,
  ) {}

  async set(namespace: string, key: string, value: unknown, options?: SharedDataSetOptions): Promise<void> {
    await this.run('set', [namespace, key, value, options]);
  }

  get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    return this.run('get', [namespace, key]) as Promise<T | undefined>;
  }

  delete(namespace: string, key: string): Promise<boolean> {
    return this.run('delete', [namespace, key]) as Promise<boolean>;
  }

  list(namespace: string, options?: SharedDataListOptions): Promise<string[]> {
    return this.run('list', [namespace, options]) as Promise<string[]>;
  }

  private run(operation: 'set' | 'get' | 'delete' | 'list', args: unknown[]): Promise<unknown> {
    this.assertValid();
    return this.host.sharedData(operation, args, currentTenantScope());
  }
}
