// Types only: `nats` is an optional peer dependency, and the host passes in its own connection.
import type { ConsumerMessages, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { DurableTopicUnavailableError } from './durable-topic-unavailable.error.js';
import { runInHeaderTrace } from '../../observability/tracing/header-propagation.js';
import { consumerNameOf, streamNameOf } from './jetstream-names.js';
import { natsHeaders, traceCarrier } from './nats-trace-headers.js';
import type { DurableTopicRemoval, DurableTopicTransport, TopicHandler, TopicHandlerErrorListener, TopicMessage } from './topic-transport.interface.js';

/** Durable topics on JetStream; every field has a default. */
export interface DurableTopicOptions {
  /** How long a delivered message may stay unacknowledged before it goes to another subscriber of its group (default 30 000). */
  ackWaitMs?: number;
  /** Messages one subscriber holds at a time, unacknowledged (default 10): what a dying instance can leave in flight. */
  maxInFlight?: number;
  /** Publishing a message id again within this window stores nothing (default 120 000, JetStream's own). */
  duplicateWindowMs?: number;
  /** How long a stream keeps messages (default 7 days). */
  retentionMs?: number;
  /** After a failed handler, the message is offered again after this long (default 1000). */
  retryDelayMs?: number;
}

const NANOS_PER_MS = 1_000_000;
/** JetStream's error code for "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;
/** JetStream's error codes for a stream, or a consumer, that does not exist. */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
/** What nats.js reports when nothing answers the JetStream API: the server runs without `-js`. */
const NO_RESPONDERS = '503';
const encoder = new TextEncoder();

/**
 * JetStream behind `NatsTopicTransport`'s durable topics. Each durable topic is a stream
 * (`streamNameOf`) on the topic's subject; each subscriber group a durable pull consumer
 * with explicit acknowledgement. Streams and consumers are created by whichever instance
 * gets there first: creating one with the same configuration again is a no-op on the server.
 *
 * A subscriber handles its messages one at a time: await the handler, then ack; a handler
 * that throws gets the message again after `retryDelayMs`; a subscriber that dies holding
 * messages has them redelivered to the group after `ackWaitMs`. So a message is handled at
 * least once per group, and twice only when an instance died after handling it and before
 * its acknowledgement reached the server (at most `maxInFlight` per dying subscriber).
 */
export class JetStreamDelivery implements DurableTopicTransport, DurableTopicRemoval {
  private manager?: Promise<JetStreamManager>;
  private readonly streams = new Map<string, Promise<void>>();
  /** Consumers still pulling; stopped when the connection closes, see `pullUntilClosed`. */
  private readonly pulling = new Set<ConsumerMessages>();
  private watchingClose = false;
  private readonly ackWaitMs: number;
  private readonly maxInFlight: number;
  private readonly duplicateWindowMs: number;
  private readonly retentionMs: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly connection: NatsConnection,
    private readonly onHandlerError: TopicHandlerErrorListener,
    options: DurableTopicOptions = {},
  ) {
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.maxInFlight = options.maxInFlight ?? 10;
    this.duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async publishDurable(topic: string, messages: readonly TopicMessage[], publisher: string): Promise<void> {
    const trace = traceCarrier();
    const payloads = messages.map((message) => {
      const id = message.id ?? randomUUID();
      return { id, data: encodeEnvelope({ ...message, id }) };
    });
    await this.stream(topic, publisher);
    const jetstream = this.connection.jetstream();
    const headers = trace === undefined ? undefined : await natsHeaders(trace);
    // Pipelined: one connection writes them in order, so JetStream stores them in order; any failure rejects the send.
    await Promise.all(payloads.map(({ id, data }) => jetstream.publish(topic, data, { msgID: id, headers })));
  }

  async subscribeDurable(topic: string, group: string, handler: TopicHandler): Promise<() => Promise<void>> {
    const stream = streamNameOf(topic);
    await this.stream(topic, group);
    const manager = await this.jetStreamManager(topic, group);
    const durable = consumerNameOf(group);
    await manager.consumers.add(stream, {
      durable_name: durable,
      ack_policy: 'explicit' as never,
      // A new group starts with what is published from now on, not the stream's history.
      deliver_policy: 'new' as never,
      ack_wait: this.ackWaitMs * NANOS_PER_MS,
      max_ack_pending: -1,
      filter_subject: topic,
    });
    const consumer = await this.connection.jetstream().consumers.get(stream, durable);
    const messages = await consumer.consume({ max_messages: this.maxInFlight });
    this.pullUntilClosed(messages);
    void this.handleEach(messages, topic, handler);
    // Stops the pulling; a handler under way is not awaited (it may never settle), and what
    // this subscriber held unacknowledged goes to the rest of the group after the ack wait.
    return async () => {
      // `stop`, not `close`: `close` waits for the loop, which waits for the handler.
      this.pulling.delete(messages);
      messages.stop();
    };
  }

  /**
   * nats.js keeps a consumer's heartbeat check running after its connection has closed, which
   * holds the host's event loop open: a host that closes NATS before (or without) closing Nest
   * would never exit. So the consumers still pulling are stopped when the connection closes.
   */
  private pullUntilClosed(messages: ConsumerMessages): void {
    this.pulling.add(messages);
    if (this.watchingClose) return;
    this.watchingClose = true;
    void this.connection.closed().then(() => {
      for (const pulling of this.pulling) pulling.stop();
      this.pulling.clear();
    });
  }

  /** Deletes the topic's stream (its messages and consumers); publishing again creates it anew. */
  async deleteDurableTopic(topic: string): Promise<boolean> {
    this.streams.delete(topic);
    const manager = await this.removalManager();
    if (manager === undefined) return false;
    return absentAsFalse(() => manager.streams.delete(streamNameOf(topic)));
  }

  /** Deletes the group's durable consumer; the stream and the other groups stay. */
  async deleteDurableGroup(topic: string, group: string): Promise<boolean> {
    const manager = await this.removalManager();
    if (manager === undefined) return false;
    return absentAsFalse(() => manager.consumers.delete(streamNameOf(topic), consumerNameOf(group)));
  }

  /** A server without JetStream stores no durable topic: nothing to remove there. */
  private async removalManager(): Promise<JetStreamManager | undefined> {
    try {
      return await (this.manager ??= this.connection.jetstreamManager());
    } catch (error) {
      this.manager = undefined;
      if ((error as { code?: string }).code === NO_RESPONDERS) return undefined;
      throw error;
    }
  }

  private async handleEach(messages: ConsumerMessages, topic: string, handler: TopicHandler): Promise<void> {
    for await (const msg of messages) await this.handleOne(msg, topic, handler);
  }

  private async handleOne(msg: JsMsg, topic: string, handler: TopicHandler): Promise<void> {
    let message: TopicMessage;
    try {
      message = msg.json<TopicMessage>();
      if (typeof message !== 'object' || message === null) throw new TypeError(`Not a topic message envelope: ${msg.string()}`);
    } catch (error) {
      // Undecodable: offering it again would fail the same way for ever.
      msg.term();
      return this.onHandlerError(error, topic);
    }
    try {
      // In the sender's trace: the delivery's span is the child of the span that sent it.
      await runInHeaderTrace((name) => msg.headers?.get(name) || undefined, () => handler(message));
      msg.ack();
    } catch (error) {
      msg.nak(this.retryDelayMs);
      this.onHandlerError(error, topic);
    }
  }

  /** Creates the topic's stream once per process (and idempotently on the server). */
  private stream(topic: string, pluginName: string): Promise<void> {
    let creating = this.streams.get(topic);
    if (creating === undefined) {
      creating = this.createStream(topic, pluginName);
      this.streams.set(topic, creating);
      creating.catch(() => this.streams.delete(topic));
    }
    return creating;
  }

  private async createStream(topic: string, pluginName: string): Promise<void> {
    const manager = await this.jetStreamManager(topic, pluginName);
    const name = streamNameOf(topic);
    try {
      await manager.streams.add({
        name,
        subjects: [topic],
        duplicate_window: this.duplicateWindowMs * NANOS_PER_MS,
        max_age: this.retentionMs * NANOS_PER_MS,
      });
    } catch (error) {
      // Made elsewhere with other limits (another version of the app, an operator): use it as it is.
      if ((error as { api_error?: { err_code?: number } }).api_error?.err_code !== STREAM_NAME_IN_USE) throw error;
      await manager.streams.info(name);
    }
  }

  private jetStreamManager(topic: string, pluginName: string): Promise<JetStreamManager> {
    this.manager ??= this.connection.jetstreamManager();
    return this.manager.catch((error: unknown) => {
      this.manager = undefined;
      if ((error as { code?: string }).code !== NO_RESPONDERS) throw error;
      throw new DurableTopicUnavailableError(pluginName, topic, 'the NATS server has no JetStream (start nats-server with -js)', { cause: error });
    });
  }
}

function encodeEnvelope({ id, key, value }: TopicMessage): Uint8Array {
  return encoder.encode(JSON.stringify(key === undefined ? { id, value } : { id, key, value }));
}

/** false when JetStream says the stream or consumer does not exist (already removed). */
async function absentAsFalse(remove: () => Promise<boolean>): Promise<boolean> {
  try {
    return await remove();
  } catch (error) {
    const code = (error as { api_error?: { err_code?: number } }).api_error?.err_code;
    if (code === STREAM_NOT_FOUND || code === CONSUMER_NOT_FOUND) return false;
    throw error;
  }
}
