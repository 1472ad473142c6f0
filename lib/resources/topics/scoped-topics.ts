import type { ReceivedTopicMessage, ScopedTopics as PluginTopics } from '../../interfaces/scoped-resources.interface.js';
import type { ResourceScope } from '../resource-scope.js';
import type { TopicMessage, TopicTransport } from './topic-transport.interface.js';

/**
 * `ctx.topics` of one plugin. Every call first checks the context is still valid, then
 * resolves the topic through the plugin's scope (allow-list, prefix or mapped name) so
 * a changed override applies to the next call. It keeps every unsubscribe it handed out,
 * so `close()` can end what the plugin left subscribed when it unloads.
 */
export class ScopedTopics implements PluginTopics {
  private readonly unsubscribes = new Set<() => Promise<void>>();

  constructor(
    private readonly scope: ResourceScope,
    private readonly transport: TopicTransport,
    private readonly assertValid: () => void,
  ) {}

  send(topic: string, messages: readonly TopicMessage[]): Promise<void> {
    // Not `async`: this is the hot path, and the in-process transport returns a settled promise to pass on.
    try {
      this.assertValid();
      return this.transport.publish(this.scope.realName('topic', topic), messages);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async subscribe(topic: string, handler: (message: ReceivedTopicMessage) => unknown): Promise<() => Promise<void>> {
    this.assertValid();
    // The subscriber sees the name it used, not the real one.
    const subscribing = this.transport.subscribe(this.scope.realName('topic', topic), (message) =>
      handler(message.key === undefined ? { topic, value: message.value } : { topic, key: message.key, value: message.value }),
    );
    let ended: Promise<void> | undefined;
    const unsubscribe = (): Promise<void> => {
      this.unsubscribes.delete(unsubscribe);
      // A subscription that failed to start has nothing to end.
      return (ended ??= subscribing.then((stop) => stop(), () => undefined));
    };
    // Tracked before the transport has finished subscribing, so a `close()` meanwhile ends it too.
    this.unsubscribes.add(unsubscribe);
    try {
      await subscribing;
      // The plugin may have been unloaded while the transport subscribed.
      this.assertValid();
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Ends every subscription the plugin made (called when the plugin unloads); idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.unsubscribes].map((unsubscribe) => unsubscribe()));
  }
}
