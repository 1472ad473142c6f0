// Types only: `nats` is an optional peer dependency, and the host passes in its own connection.
import type { Msg, MsgHdrs, NatsConnection } from 'nats';
import { runInHeaderTrace } from '../../observability/tracing/header-propagation.js';
import { natsHeaders, traceCarrier } from './nats-trace-headers.js';
import { callTopicHandler, logTopicHandlerError } from './call-topic-handler.js';
import { InvalidTopicSubjectError } from './invalid-topic-subject.error.js';
import { JetStreamDelivery, type DurableTopicOptions } from './jetstream-delivery.js';
import type {
  DurableTopicRemoval,
  DurableTopicTransport,
  TopicHandler,
  TopicHandlerErrorListener,
  TopicMessage,
  TopicTransport,
  TopicTransportOptions,
} from './topic-transport.interface.js';

/** Dot-separated, non-empty tokens without whitespace or the wildcards `*` and `>` (not even inside a token). */
const LITERAL_SUBJECT = /^[^\s.*>]+(?:\.[^\s.*>]+)*$/;

/**
 * The server ends the connection (every subscription on it) when a protocol line passes
 * `max_control_line` (4096 bytes by default); a publish line holds the subject and more.
 * Declared and mapped names are at most 255 characters, but a prefix adds the plugin name.
 */
const MAX_SUBJECT_BYTES = 1024;

const encoder = new TextEncoder();

export interface NatsTopicTransportOptions extends TopicTransportOptions {
  /** Durable topics (`{ name, durable: true }`) on JetStream: acknowledgement wait, in-flight limit, duplicate window, retention. */
  durable?: DurableTopicOptions;
}

/**
 * Topics over NATS core (at-most-once, no persistence); the real topic name is the subject.
 *
 * On the wire a message is the JSON envelope `{ "key"?: string, "value": ... }`, so
 * values must be JSON-serialisable: a `BigInt` or a cycle fails the whole `send` before
 * any of its messages leaves; `Date`s arrive as strings, `undefined` values as absent.
 *
 * Subjects must be literal. The allow-list decides which real names a plugin may use,
 * but a wildcard in one (a declared `orders.>`, a host mapping to `*`) would subscribe
 * to other plugins' topics, so such names are refused with `InvalidTopicSubjectError`
 * rather than escaped: an escaped subject would silently differ from the name other
 * NATS clients use. Literal dotted names (`shop.orders`) are fine. Subjects longer than
 * 1024 bytes are refused too: the server would close the shared connection over them.
 */
export class NatsTopicTransport implements TopicTransport, DurableTopicTransport, DurableTopicRemoval {
  private readonly onHandlerError: TopicHandlerErrorListener;
  private readonly durable: JetStreamDelivery;

  constructor(
    private readonly connection: NatsConnection,
    options: NatsTopicTransportOptions = {},
  ) {
    this.onHandlerError = options.onHandlerError ?? logTopicHandlerError;
    this.durable = new JetStreamDelivery(connection, this.onHandlerError, options.durable);
  }

  /** A durable topic: stored by JetStream before this resolves, de-duplicated by message id (see `JetStreamDelivery`). */
  async publishDurable(topic: string, messages: readonly TopicMessage[], publisher: string): Promise<void> {
    assertLiteralSubject(topic);
    return this.durable.publishDurable(topic, messages, publisher);
  }

  /** A durable topic: one durable consumer per group (plugin), explicit acknowledgement after the handler resolved. */
  async subscribeDurable(topic: string, group: string, handler: TopicHandler): Promise<() => Promise<void>> {
    assertLiteralSubject(topic);
    return this.durable.subscribeDurable(topic, group, handler);
  }

  /** A durable topic's stream, deleted with its messages and consumers (`uninstall` with `purge`). */
  deleteDurableTopic(topic: string): Promise<boolean> {
    return this.durable.deleteDurableTopic(topic);
  }

  /** One subscriber group's durable consumer on a durable topic, deleted. */
  deleteDurableGroup(topic: string, group: string): Promise<boolean> {
    return this.durable.deleteDurableGroup(topic, group);
  }

  /** Resolves once the server has the messages (a `flush()` round trip), not when they are merely buffered. */
  async publish(topic: string, messages: readonly TopicMessage[]): Promise<void> {
    assertLiteralSubject(topic);
    const payloads = messages.map(encodeEnvelope);
    const trace = traceCarrier();
    const headers = trace === undefined ? undefined : await natsHeaders(trace);
    for (const payload of payloads) {
      if (headers === undefined) this.connection.publish(topic, payload);
      else this.connection.publish(topic, payload, { headers });
    }
    await this.connection.flush();
  }

  /** Resolves once the server knows the subscription, so a message sent afterwards reaches it. */
  async subscribe(topic: string, handler: TopicHandler): Promise<() => Promise<void>> {
    assertLiteralSubject(topic);
    const subscription = this.connection.subscribe(topic, {
      // Errors of the subscription itself (a permissions violation) and undecodable
      // messages from foreign publishers have nowhere else to go either.
      callback: (error, msg) => {
        if (error !== null) return this.onHandlerError(error, topic);
        let message: TopicMessage;
        try {
          message = decodeEnvelope(msg);
        } catch (decodeError) {
          return this.onHandlerError(decodeError, topic);
        }
        runInHeaderTrace(
          (name) => msg.headers?.get(name) || undefined,
          () => callTopicHandler(handler, message, topic, this.onHandlerError),
        );
      },
    });
    try {
      await this.connection.flush();
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
    return async () => {
      // Draining hands over messages already on their way; a closed connection has ended the subscription already.
      if (!subscription.isClosed()) await subscription.drain();
    };
  }
}

function assertLiteralSubject(topic: string): void {
  if (Buffer.byteLength(topic, 'utf8') > MAX_SUBJECT_BYTES) {
    throw new InvalidTopicSubjectError(topic, `it is longer than ${MAX_SUBJECT_BYTES} bytes, which the server could drop the shared connection for`);
  }
  if (!LITERAL_SUBJECT.test(topic)) {
    throw new InvalidTopicSubjectError(topic, 'only literal subjects are allowed (no "*" or ">", no whitespace, no empty "."-separated token)');
  }
}

function encodeEnvelope({ key, value }: TopicMessage): Uint8Array {
  return encoder.encode(JSON.stringify(key === undefined ? { value } : { key, value }));
}

function decodeEnvelope(msg: Msg): TopicMessage {
  const envelope = msg.json<unknown>();
  if (typeof envelope !== 'object' || envelope === null) throw new TypeError(`Not a topic message envelope: ${msg.string()}`);
  return envelope as TopicMessage;
}
