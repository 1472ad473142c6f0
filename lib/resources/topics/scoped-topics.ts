import type { ReceivedTopicMessage, ScopedTopics as PluginTopics } from '../../interfaces/facets/topics.facet.js';
import { ownFrame, runAsPlugin } from '../../context/plugin-call-context.js';
import { observeWork } from '../../observability/observed-work.js';
import type { ResourceScope } from '../resource-scope.js';
import { DurableTopicUnavailableError } from './durable-topic-unavailable.error.js';
import type { DurableTopicTransport, TopicMessage, TopicTransport } from './topic-transport.interface.js';
import { PluginMeter } from '../../observability/metrics/plugin-meter.js';

/**
 * `ctx.topics` of one plugin. Every call first checks the context is still valid, then
 * resolves the topic through the plugin's scope (allow-list, prefix or mapped name) so
 * a changed override applies to the next call. It keeps every unsubscribe it handed out,
 * so `close()` can end what the plugin left subscribed when it unloads.
 *
 * A topic the plugin declared `{ name, durable: true }` goes through the transport's
 * durable delivery, with the plugin as subscriber group; a transport without one refuses
 * it with `DurableTopicUnavailableError` rather than delivering it at most once.
 */
export class ScopedTopics implements PluginTopics {
  readonly #unsubscribes = new Set<() => Promise<void>>();

  readonly #scope: ResourceScope;
  readonly #transport: TopicTransport;
  readonly #assertValid: () => void;
  readonly #meter: PluginMeter;

  constructor(scope: ResourceScope, transport: TopicTransport, assertValid: () => void, meter = new PluginMeter(scope.pluginName, false, undefined)) {
    this.#meter = meter;
    this.#scope = scope;
    this.#transport = transport;
    this.#assertValid = assertValid;
  }

  send(topic: string, messages: readonly TopicMessage[]): Promise<void> {
    // Not `async`: this is the hot path, and the in-process transport returns a settled promise to pass on.
    try {
      this.#assertValid();
      const { realName, durable } = this.#scope.topic(topic);
      this.#meter.topicMessagesSent += messages.length;
      if (durable) return this.durableTransport(realName).publishDurable(realName, messages, this.#scope.pluginName);
      return this.#transport.publish(realName, messages);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async subscribe(topic: string, handler: (message: ReceivedTopicMessage) => unknown): Promise<() => Promise<void>> {
    this.#assertValid();
    const realName = this.#scope.realName('topic', topic);
    // The subscriber sees the name it used, not the real one; only durable messages carry their id.
    // Objects built whole, not spread: a plain topic delivers in-process on the sender's call.
    // The handler acts as this plugin, not as the sender it is delivered on (docs/security.md).
    const frame = ownFrame(this.#scope.pluginName);
    const meter = this.#meter;
    const received = (message: ReceivedTopicMessage): unknown => {
      meter.topicMessagesReceived++;
      return handler(message);
    };
    const subscribing = this.#scope.policy.isDurableTopic(topic)
      ? this.durableTransport(realName).subscribeDurable(realName, this.#scope.pluginName, (message) =>
          observeWork(
            'topic',
            this.#scope.pluginName,
            topic,
            runAsPlugin,
            frame,
            received,
            message.key === undefined ? { topic, id: message.id, value: message.value } : { topic, id: message.id, key: message.key, value: message.value },
          ),
        )
      : this.#transport.subscribe(realName, (message) =>
          observeWork('topic', this.#scope.pluginName, topic, runAsPlugin, frame, received, message.key === undefined ? { topic, value: message.value } : { topic, key: message.key, value: message.value }),
        );
    let ended: Promise<void> | undefined;
    const unsubscribe = (): Promise<void> => {
      this.#unsubscribes.delete(unsubscribe);
      // A subscription that failed to start has nothing to end.
      return (ended ??= subscribing.then((stop) => stop(), () => undefined));
    };
    // Tracked before the transport has finished subscribing, so a `close()` meanwhile ends it too.
    this.#unsubscribes.add(unsubscribe);
    try {
      await subscribing;
      // The plugin may have been unloaded while the transport subscribed.
      this.#assertValid();
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  private durableTransport(realName: string): DurableTopicTransport {
    const transport = this.#transport as Partial<DurableTopicTransport>;
    if (typeof transport.publishDurable === 'function' && typeof transport.subscribeDurable === 'function') return transport as DurableTopicTransport;
    throw new DurableTopicUnavailableError(
      this.#scope.pluginName,
      realName,
      `the topic transport (${this.#transport.constructor.name}) has no durable delivery; use NatsTopicTransport on a NATS server with JetStream (nats-server -js)`,
    );
  }

  /** Ends every subscription the plugin made (called when the plugin unloads); idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.#unsubscribes].map((unsubscribe) => unsubscribe()));
  }
}
