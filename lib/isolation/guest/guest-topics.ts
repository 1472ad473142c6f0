import type { ReceivedTopicMessage, ScopedTopics } from '../../interfaces/facets/topics.facet.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';

/** `ctx.topics` in a guest: the host publishes and subscribes under the plugin's scope. */
export class GuestTopics implements ScopedTopics {
  private readonly handlers = new Map<number, (message: ReceivedTopicMessage) => unknown>();
  private nextSubscription = 1;

  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {}

  /** The arguments cross as they are: a message's `id` reaches a durable topic's de-duplication. */
  send(...args: Parameters<ScopedTopics['send']>): Promise<void> {
    this.assertValid();
    return this.host.topicSend(...args);
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
