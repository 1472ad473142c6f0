/** A message as a `ctx.topics` subscriber receives it. */
export interface ReceivedTopicMessage {
  /** the topic as the subscriber named it (unprefixed) */
  readonly topic: string;
  /** durable topics: the message id (the publisher's, or a random one) */
  readonly id?: string;
  readonly key?: string;
  readonly value: unknown;
}

/** `ctx.topics`: the plugin's allowed topics, under their real (prefixed or mapped) names. */
export interface ScopedTopics {
  /** `id`: durable topics de-duplicate by it (a message published twice with one id is delivered once); plain topics ignore it. */
  send(topic: string, messages: { id?: string; key?: string; value: unknown }[]): Promise<void>;
  /** Resolves to the unsubscribe; every subscription also ends when the plugin unloads. */
  subscribe(topic: string, handler: (message: ReceivedTopicMessage) => unknown): Promise<() => Promise<void>>;
}
