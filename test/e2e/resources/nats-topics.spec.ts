import { connect, type NatsConnection } from 'nats';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';
import type { ReceivedTopicMessage } from '../../../lib/interfaces/facets/topics.facet.js';
import type { ResourceOverrides } from '../../../lib/resources/resource-overrides.interface.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { InvalidTopicSubjectError } from '../../../lib/resources/topics/invalid-topic-subject.error.js';
import { NatsTopicTransport } from '../../../lib/resources/topics/nats.topic-transport.js';
import { ScopedTopics } from '../../../lib/resources/topics/scoped-topics.js';
import { startNatsServer } from '../../support/nats-server.js';

// Decided before `describe`, so a machine without NATS shows a skipped suite that says why instead of passing.
const server = await startNatsServer();
const describeWithNats = server === undefined ? describe.skip : describe;
const suiteName =
  server === undefined ? 'NATS topics (skipped: no NATS_URL and no nats-server binary; .ci/run installs it)' : 'NATS topics';

/** Messages as they arrive, and a wait for the n-th. */
class Inbox<T> {
  readonly messages: T[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly push = (message: T): void => {
    this.messages.push(message);
    for (const waiter of this.waiters) if (this.messages.length >= waiter.count) waiter.resolve();
  };

  async waitFor(count: number): Promise<T[]> {
    if (this.messages.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${this.messages.length} of ${count} messages`)), 5_000);
        this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.messages;
  }
}

describeWithNats(suiteName, () => {
  const overrides = new ResourceOverridesStore();
  let publisherConnection: NatsConnection;
  let subscriberConnection: NatsConnection;
  let handlerErrors: Array<[unknown, string]>;

  beforeAll(async () => {
    publisherConnection = await connect({ servers: server!.url });
    subscriberConnection = await connect({ servers: server!.url });
  });

  afterAll(async () => {
    await publisherConnection?.close();
    await subscriberConnection?.close();
    await server?.stop();
  });

  beforeEach(() => (handlerErrors = []));

  function topicsOf(connection: NatsConnection, name: string, allowedTopics: string[], resourceOverrides?: ResourceOverrides): ScopedTopics {
    overrides.set(name, resourceOverrides);
    const metadata: PluginMetadata = { name, version: '1.0.0', allowedTopics };
    const transport = new NatsTopicTransport(connection, { onHandlerError: (error, topic) => handlerErrors.push([error, topic]) });
    return new ScopedTopics(new ResourceScope(metadata, overrides), transport, () => {});
  }

  it('carries key and value from one plugin to another over a shared mapped topic, in order', async () => {
    const shop = topicsOf(publisherConnection, 'shop', ['orders'], { topicNameMap: { orders: 'shared.orders' } });
    const billing = topicsOf(subscriberConnection, 'billing', ['incoming'], { topicNameMap: { incoming: 'shared.orders' } });
    const inbox = new Inbox<ReceivedTopicMessage>();
    await billing.subscribe('incoming', inbox.push);

    await shop.send('orders', [
      { key: 'o-1', value: { total: 12.5, items: ['a', 'b'] } },
      { value: null },
      { key: 'o-3', value: 'last' },
    ]);

    expect(await inbox.waitFor(3)).toStrictEqual([
      { topic: 'incoming', key: 'o-1', value: { total: 12.5, items: ['a', 'b'] } },
      { topic: 'incoming', value: null },
      { topic: 'incoming', key: 'o-3', value: 'last' },
    ]);
    await billing.close();
  });

  it('publishes under the prefixed subject, as a JSON envelope', async () => {
    const topics = topicsOf(publisherConnection, 'my-plugin', ['orders']);
    const raw = new Inbox<{ subject: string; json: unknown }>();
    subscriberConnection.subscribe('my-plugin_orders', { callback: (_, msg) => raw.push({ subject: msg.subject, json: msg.json() }) });
    await subscriberConnection.flush();

    await topics.send('orders', [{ key: 'k', value: [1, 2] }]);

    expect(await raw.waitFor(1)).toEqual([{ subject: 'my-plugin_orders', json: { key: 'k', value: [1, 2] } }]);
  });

  it('stops delivering after unsubscribe and after close', async () => {
    const sender = topicsOf(publisherConnection, 'sender', ['events'], { topicNameMap: { events: 'stop_test' } });
    const listener = topicsOf(subscriberConnection, 'listener', ['events'], { topicNameMap: { events: 'stop_test' } });
    const unsubscribed = new Inbox<ReceivedTopicMessage>();
    const closed = new Inbox<ReceivedTopicMessage>();
    // Subscribed on the raw connection, so it outlives `listener.close()` and shows when a message has gone round.
    const barrier = new Inbox<unknown>();
    subscriberConnection.subscribe('stop_test', { callback: (_, msg) => barrier.push(msg.json()) });
    const unsubscribe = await listener.subscribe('events', unsubscribed.push);
    await listener.subscribe('events', closed.push);

    await sender.send('events', [{ value: 1 }]);
    await barrier.waitFor(1);
    await unsubscribe();
    await unsubscribe();
    await sender.send('events', [{ value: 2 }]);
    await barrier.waitFor(2);
    await listener.close();
    await sender.send('events', [{ value: 3 }]);
    await barrier.waitFor(3);

    expect(unsubscribed.messages.map((message) => message.value)).toEqual([1]);
    expect(closed.messages.map((message) => message.value)).toEqual([1, 2]);
  });

  it('refuses wildcard and whitespace names, declared or mapped, before they reach the server', async () => {
    const declared = topicsOf(publisherConnection, 'greedy', ['orders.*', 'all.>']);
    const mapped = topicsOf(publisherConnection, 'mapped', ['orders', 'spaced'], { topicNameMap: { orders: '>', spaced: 'new orders' } });

    await expect(declared.subscribe('orders.*', () => {})).rejects.toThrow(InvalidTopicSubjectError);
    await expect(declared.subscribe('all.>', () => {})).rejects.toThrow('Topic "greedy_all.>" cannot be used as a NATS subject');
    await expect(declared.send('orders.*', [{ value: 1 }])).rejects.toThrow(InvalidTopicSubjectError);
    await expect(mapped.subscribe('orders', () => {})).rejects.toThrow('Topic ">" cannot be used as a NATS subject');
    await expect(mapped.send('spaced', [{ value: 1 }])).rejects.toThrow(InvalidTopicSubjectError);
  });

  it('keeps a failing handler away from the sender and from other handlers', async () => {
    const sender = topicsOf(publisherConnection, 'sender', ['events'], { topicNameMap: { events: 'failing_test' } });
    const listener = topicsOf(subscriberConnection, 'listener', ['events'], { topicNameMap: { events: 'failing_test' } });
    const inbox = new Inbox<ReceivedTopicMessage>();
    const failure = new Error('handler failed');
    await listener.subscribe('events', () => {
      throw failure;
    });
    await listener.subscribe('events', inbox.push);

    await expect(sender.send('events', [{ value: 1 }])).resolves.toBeUndefined();

    expect((await inbox.waitFor(1)).map((message) => message.value)).toEqual([1]);
    expect(handlerErrors).toEqual([[failure, 'failing_test']]);
    await listener.close();
  });

  it('reports a message that is not a topic envelope instead of calling the handler', async () => {
    const listener = topicsOf(subscriberConnection, 'listener', ['events'], { topicNameMap: { events: 'foreign_test' } });
    const inbox = new Inbox<ReceivedTopicMessage>();
    await listener.subscribe('events', inbox.push);

    publisherConnection.publish('foreign_test', new TextEncoder().encode('not json'));
    publisherConnection.publish('foreign_test', new TextEncoder().encode('{"value":"ok"}'));
    await publisherConnection.flush();

    expect(await inbox.waitFor(1)).toStrictEqual([{ topic: 'events', value: 'ok' }]);
    expect(handlerErrors).toEqual([[expect.anything(), 'foreign_test']]);
    await listener.close();
  });

  it('unsubscribes without error once the connection is closed', async () => {
    const connection = await connect({ servers: server!.url });
    const topics = topicsOf(connection, 'closing', ['events']);
    const unsubscribe = await topics.subscribe('events', () => {});

    await connection.close();

    await expect(unsubscribe()).resolves.toBeUndefined();
    await expect(topics.close()).resolves.toBeUndefined();
  });
});
