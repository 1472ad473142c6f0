import { connect, type NatsConnection } from 'nats';
import type { PluginMetadata, TopicDeclaration } from '../../../lib/interfaces/plugin-metadata.interface.js';
import type { ReceivedTopicMessage } from '../../../lib/interfaces/facets/topics.facet.js';
import type { ResourceOverrides } from '../../../lib/resources/resource-overrides.interface.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { DurableTopicUnavailableError } from '../../../lib/resources/topics/durable-topic-unavailable.error.js';
import { InProcessTopicTransport } from '../../../lib/resources/topics/in-process.topic-transport.js';
import { NatsTopicTransport } from '../../../lib/resources/topics/nats.topic-transport.js';
import { ScopedTopics } from '../../../lib/resources/topics/scoped-topics.js';
import type { TopicTransport } from '../../../lib/resources/topics/topic-transport.interface.js';
import { startNatsServer } from '../../support/nats-server.js';

// Decided before `describe`, so a machine without nats-server shows a skipped suite that says why.
const jetstreamServer = await startNatsServer({ jetstream: true });
const plainServer = process.env.NATS_URL ? undefined : await startNatsServer();
const describeWithNats = jetstreamServer === undefined ? describe.skip : describe;
const suiteName =
  jetstreamServer === undefined ? 'durable topics (skipped: no NATS_URL and no nats-server binary; .ci/run installs it)' : 'durable topics on one instance';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const overrides = new ResourceOverridesStore();

const scopes: ScopedTopics[] = [];
function topicsOf(transport: TopicTransport, name: string, allowedTopics: TopicDeclaration[], resourceOverrides?: ResourceOverrides): ScopedTopics {
  overrides.set(name, resourceOverrides);
  const metadata: PluginMetadata = { name, version: '1.0.0', allowedTopics };
  const topics = new ScopedTopics(new ResourceScope(metadata, overrides), transport, () => undefined);
  scopes.push(topics);
  return topics;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('durable topics without durable delivery', () => {
  it('fail on the in-process transport, naming the plugin and the topic', async () => {
    const topics = topicsOf(new InProcessTopicTransport(), 'shop', [{ name: 'orders', durable: true }]);
    const message =
      'Plugin "shop" cannot use durable topic "shop_orders": the topic transport (InProcessTopicTransport) has no durable delivery; ' +
      'use NatsTopicTransport on a NATS server with JetStream (nats-server -js)';
    await expect(topics.send('orders', [{ value: 1 }])).rejects.toThrow(DurableTopicUnavailableError);
    await expect(topics.send('orders', [{ value: 1 }])).rejects.toThrow(message);
    await expect(topics.subscribe('orders', () => undefined)).rejects.toThrow(message);
  });

  it('leave plain topics of the same plugin as they are', async () => {
    const topics = topicsOf(new InProcessTopicTransport(), 'shop', [{ name: 'orders', durable: true }, 'audit']);
    const seen: unknown[] = [];
    await topics.subscribe('audit', (message) => void seen.push(message.value));
    await topics.send('audit', [{ value: 'plain' }]);
    expect(seen).toEqual(['plain']);
  });
});

describeWithNats(suiteName, () => {
  const connections: NatsConnection[] = [];
  const open = async (url: string) => {
    const connection = await connect({ servers: url });
    connections.push(connection);
    return connection;
  };
  let errors: Array<[unknown, string]>;
  const transport = async (url = jetstreamServer!.url) =>
    new NatsTopicTransport(await open(url), { onHandlerError: (error, topic) => errors.push([error, topic]), durable: { ackWaitMs: 1000, retryDelayMs: 50 } });

  beforeEach(() => (errors = []));
  afterAll(async () => {
    await Promise.all(scopes.map((topics) => topics.close()));
    await Promise.all(connections.map((connection) => connection.close()));
    await jetstreamServer?.stop();
    await plainServer?.stop();
  });

  it('fail on a NATS server without JetStream, naming the plugin and the topic', async () => {
    if (plainServer === undefined) return; // NATS_URL is one server, with JetStream
    const topics = topicsOf(await transport(plainServer.url), 'shop', [{ name: 'orders', durable: true }]);
    await expect(topics.send('orders', [{ value: 1 }])).rejects.toThrow(
      'Plugin "shop" cannot use durable topic "shop_orders": the NATS server has no JetStream (start nats-server with -js)',
    );
  });

  it('deliver each message once per subscriber group, the id on the message; a second publish of an id is dropped', async () => {
    const publisher = topicsOf(await transport(), 'shop', [{ name: 'orders', durable: true }]);
    const billing: ReceivedTopicMessage[] = [];
    const shipping: ReceivedTopicMessage[] = [];
    // Two instances of "billing" (one group) and one of "shipping": the mapped name is the shared topic.
    const shared = { topicNameMap: { orders: 'shop_orders' } };
    for (const [name, inbox] of [['billing', billing], ['billing', billing], ['shipping', shipping]] as const) {
      const topics = topicsOf(await transport(), name, [{ name: 'orders', durable: true }], { allowedTopics: [{ name: 'orders', durable: true }], ...shared });
      await topics.subscribe('orders', (message) => void inbox.push(message));
    }
    await publisher.send('orders', [
      { id: 'o-1', value: { total: 1 } },
      { id: 'o-2', key: 'k', value: { total: 2 } },
    ]);
    await publisher.send('orders', [{ id: 'o-1', value: { total: 1 } }]);
    await waitFor(() => billing.length >= 2 && shipping.length >= 2, 'both groups');
    await sleep(300);
    expect(billing.map((message) => message.id).sort()).toEqual(['o-1', 'o-2']);
    expect(shipping).toEqual([
      { topic: 'orders', id: 'o-1', value: { total: 1 } },
      { topic: 'orders', id: 'o-2', key: 'k', value: { total: 2 } },
    ]);
    expect(errors).toEqual([]);
  });

  it('offer a message again when the handler failed, and stop after unsubscribe', async () => {
    const publisher = topicsOf(await transport(), 'retry', [{ name: 'jobs', durable: true }]);
    const attempts: string[] = [];
    const unsubscribe = await publisher.subscribe('jobs', (message) => {
      attempts.push(message.id!);
      if (attempts.length === 1) throw new Error('not yet');
    });
    await publisher.send('jobs', [{ id: 'j-1', value: 1 }]);
    await waitFor(() => attempts.length >= 2, 'the redelivery');
    expect(attempts.slice(0, 2)).toEqual(['j-1', 'j-1']);
    expect((errors[0]![0] as Error).message).toBe('not yet');
    await unsubscribe();
    await publisher.send('jobs', [{ id: 'j-2', value: 2 }]);
    await sleep(200);
    expect(attempts).not.toContain('j-2');
  });

  it('redeliver to another subscriber of the group what a subscriber took and never acknowledged', async () => {
    const publisher = topicsOf(await transport(), 'crash', [{ name: 'work', durable: true }]);
    // The first subscriber's handler never settles, like an instance that died mid-message.
    const stuck = topicsOf(await transport(), 'crash', [{ name: 'work', durable: true }]);
    let taken = 0;
    await stuck.subscribe('work', () => {
      taken++;
      return new Promise(() => undefined);
    });
    await publisher.send('work', [{ id: 'w-1', value: 1 }]);
    await waitFor(() => taken === 1, 'the stuck subscriber to take it');
    const handled: string[] = [];
    const healthy = topicsOf(await transport(), 'crash', [{ name: 'work', durable: true }]);
    await healthy.subscribe('work', (message) => void handled.push(message.id!));
    // ackWaitMs is 1000 here.
    await waitFor(() => handled.includes('w-1'), 'the redelivery after the ack wait', 4000);
  });
});
