/** One message on a topic. `key` travels with the value untouched; transports do not partition by it. */
export interface TopicMessage {
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
 * Moves messages between plugins. Topics here are real names (`my-plugin_orders` or a
 * mapped name): the plugin-facing `ScopedTopics` checks access and renames first.
 */
export interface TopicTransport {
  /** Delivers messages to every current subscriber of the (real) topic. */
  publish(topic: string, messages: readonly TopicMessage[]): Promise<void>;
  /** Returns the unsubscribe. Handler errors must not reach the publisher: report them through `onHandlerError`. */
  subscribe(topic: string, handler: TopicHandler): Promise<() => Promise<void>>;
}
