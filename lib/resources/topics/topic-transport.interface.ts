/** One message on a topic. `key` travels with the value untouched; transports do not partition by it. */
export interface TopicMessage {
  /**
   * Durable topics: the message's id, which publishing again within the broker's duplicate
   * window does not deliver twice (a random id when absent). Plain topics ignore it.
   */
  id?: string;
  key?: string;
  value: unknown;
}

export type TopicHandler = (message: TopicMessage) => unknown;

/** Receives what a subscriber's handler threw or rejected with, and the real topic it was handling. */
export type TopicHandlerErrorListener = (error: unknown, topic: string) => void;

export interface TopicTransportOptions {
  /** Defaults to logging the error with Nest's `Logger`; what it throws is logged that way too. */
  onHandlerError?: TopicHandlerErrorListener;
}

/**
 * Durable delivery (docs/cluster.md): at least once per subscriber group, a message redelivered
 * until a handler of the group settled it without error; de-duplicated by `id` on publish.
 */
export interface DurableTopicTransport {
  /** Resolves once the broker has stored every message. `publisher` names the plugin in errors. */
  publishDurable(topic: string, messages: readonly TopicMessage[], publisher: string): Promise<void>;
  /**
   * Joins `group` (a plugin name): each message goes to one subscriber of the group, which
   * awaits the handler and acknowledges it only once the handler resolved. Returns the unsubscribe.
   */
  subscribeDurable(topic: string, group: string, handler: TopicHandler): Promise<() => Promise<void>>;
}

/** Durable delivery whose stored topics can be removed for good (`PluginManager.uninstall(name, { purge: true })`). */
export interface DurableTopicRemoval {
  /** Deletes the topic's stored messages and every subscriber group's position on it; false when there was nothing. */
  deleteDurableTopic(topic: string): Promise<boolean>;
  /** Deletes one subscriber group's position on the topic; false when there was none. */
  deleteDurableGroup(topic: string, group: string): Promise<boolean>;
}

/**
 * Moves messages between plugins. Topics here are real names (`my-plugin_orders` or a
 * mapped name): the plugin-facing `ScopedTopics` checks access and renames first.
 */
export interface TopicTransport {
  /** Delivers messages to every current subscriber of the (real) topic. */
  publish(topic: string, messages: readonly TopicMessage[]): Promise<void>;
  /** Returns the unsubscribe. Handler errors must not reach the publisher: report them through `onHandlerError`. */
  subscribe(topic: string, handler: TopicHandler): Promise<() => Promise<void>>;
}
