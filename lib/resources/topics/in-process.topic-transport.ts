import { callTopicHandler, logTopicHandlerError } from './call-topic-handler.js';
import type {
  TopicHandler,
  TopicHandlerErrorListener,
  TopicMessage,
  TopicTransport,
  TopicTransportOptions,
} from './topic-transport.interface.js';

interface PendingDelivery {
  readonly topic: string;
  readonly messages: readonly TopicMessage[];
}

// Shared: a settled promise carries no state, and `send` is a hot path.
const DELIVERED: Promise<void> = Promise.resolve();

/**
 * Topics inside one process, the default transport.
 *
 * Delivery is synchronous: when `publish` returns, every handler has been called, in
 * message order. Values are passed by reference, not copied or serialised, so handlers
 * must not mutate them. A handler that publishes (to any topic) while a delivery is
 * running is queued behind it, so every handler of a topic still sees that topic's
 * messages in the order they were published.
 *
 * Each topic's handlers are a copy-on-write array: `publish` iterates it without
 * copying, and a handler (un)subscribing mid-delivery affects the next message batch,
 * not the running one.
 */
export class InProcessTopicTransport implements TopicTransport {
  private readonly handlers = new Map<string, readonly TopicHandler[]>();
  private readonly onHandlerError: TopicHandlerErrorListener;
  private delivering = false;
  private readonly backlog: PendingDelivery[] = [];

  constructor(options: TopicTransportOptions = {}) {
    this.onHandlerError = options.onHandlerError ?? logTopicHandlerError;
  }

  publish(topic: string, messages: readonly TopicMessage[]): Promise<void> {
    // Checked before `delivering` is set: nothing below may throw, or the flag would stay set.
    if (!Array.isArray(messages)) return Promise.reject(new TypeError(`Messages for topic "${topic}" must be an array`));
    if (this.delivering) {
      this.backlog.push({ topic, messages });
      return DELIVERED;
    }
    // No try/finally: it costs a measurable share of `send`, and `deliver` cannot throw
    // since `callTopicHandler` contains every handler and `onHandlerError` failure.
    this.delivering = true;
    this.deliver(topic, messages);
    if (this.backlog.length !== 0) this.deliverBacklog();
    this.delivering = false;
    return DELIVERED;
  }

  subscribe(topic: string, handler: TopicHandler): Promise<() => Promise<void>> {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
    let subscribed = true;
    return Promise.resolve(() => {
      // Guarded: the same handler may be subscribed twice, and each unsubscribe removes one.
      if (subscribed) {
        subscribed = false;
        this.remove(topic, handler);
      }
      return DELIVERED;
    });
  }

  /** What handlers published meanwhile. The backlog grows while it is walked: their handlers may publish too. */
  private deliverBacklog(): void {
    for (let i = 0; i < this.backlog.length; i++) this.deliver(this.backlog[i].topic, this.backlog[i].messages);
    this.backlog.length = 0;
  }

  private deliver(topic: string, messages: readonly TopicMessage[]): void {
    const handlers = this.handlers.get(topic);
    if (handlers === undefined) return;
    for (let m = 0; m < messages.length; m++) {
      for (let h = 0; h < handlers.length; h++) callTopicHandler(handlers[h], messages[m], topic, this.onHandlerError);
    }
  }

  private remove(topic: string, handler: TopicHandler): void {
    const handlers = this.handlers.get(topic) ?? [];
    const index = handlers.indexOf(handler);
    if (index === -1) return;
    if (handlers.length === 1) this.handlers.delete(topic);
    else this.handlers.set(topic, [...handlers.slice(0, index), ...handlers.slice(index + 1)]);
  }
}
