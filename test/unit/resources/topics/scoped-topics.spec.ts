import { jest } from '@jest/globals';
import { ContextInvalidatedError, TopicAccessDeniedError } from '../../../../lib/errors/index.js';
import type { PluginMetadata } from '../../../../lib/interfaces/plugin-metadata.interface.js';
import type { ReceivedTopicMessage } from '../../../../lib/interfaces/facets/topics.facet.js';
import { ResourceOverridesStore } from '../../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../../lib/resources/resource-scope.js';
import { InProcessTopicTransport } from '../../../../lib/resources/topics/in-process.topic-transport.js';
import { ScopedTopics } from '../../../../lib/resources/topics/scoped-topics.js';
import type { TopicMessage, TopicTransport } from '../../../../lib/resources/topics/topic-transport.interface.js';

function metadata(name: string, allowedTopics: string[]): PluginMetadata {
  return { name, version: '1.0.0', allowedTopics };
}

describe('ScopedTopics over InProcessTopicTransport', () => {
  let overrides: ResourceOverridesStore;
  let transport: InProcessTopicTransport;
  let handlerErrors: Array<[unknown, string]>;

  beforeEach(() => {
    overrides = new ResourceOverridesStore();
    handlerErrors = [];
    transport = new InProcessTopicTransport({ onHandlerError: (error, topic) => handlerErrors.push([error, topic]) });
  });

  function topicsOf(name: string, allowedTopics: string[], assertValid: () => void = () => {}): ScopedTopics {
    return new ScopedTopics(new ResourceScope(metadata(name, allowedTopics), overrides), transport, assertValid);
  }

  function collect(): { received: ReceivedTopicMessage[]; handler: (message: ReceivedTopicMessage) => void } {
    const received: ReceivedTopicMessage[] = [];
    return { received, handler: (message) => void received.push(message) };
  }

  it('delivers key and value, in order, under the name the subscriber used', async () => {
    const topics = topicsOf('my-plugin', ['orders']);
    const { received, handler } = collect();
    await topics.subscribe('orders', handler);

    await topics.send('orders', [{ key: 'o-1', value: { total: 3 } }, { value: 'no key' }]);

    expect(received).toStrictEqual([
      { topic: 'orders', key: 'o-1', value: { total: 3 } },
      { topic: 'orders', value: 'no key' },
    ]);
  });

  it('sends to the prefixed real topic', async () => {
    const raw: TopicMessage[] = [];
    await transport.subscribe('my-plugin_orders', (message) => void raw.push(message));

    await topicsOf('my-plugin', ['orders']).send('orders', [{ key: 'k', value: 1 }]);

    expect(raw).toStrictEqual([{ key: 'k', value: 1 }]);
  });

  it('refuses topics the plugin did not declare, on send and on subscribe', async () => {
    const topics = topicsOf('my-plugin', ['orders']);
    const message = 'Plugin "my-plugin" may not access topic "secret" (allowed: orders)';

    await expect(topics.send('secret', [{ value: 1 }])).rejects.toThrow(new TopicAccessDeniedError('my-plugin', 'secret', ['orders']));
    await expect(topics.send('secret', [{ value: 1 }])).rejects.toThrow(message);
    await expect(topics.subscribe('secret', () => {})).rejects.toThrow(TopicAccessDeniedError);
    await expect(topics.subscribe('secret', () => {})).rejects.toThrow(message);
  });

  it('denies topic names that are not strings, even ones whose text is an allowed name', async () => {
    const topics = topicsOf('my-plugin', ['1', 'orders']);
    const unprintable = { toJSON: () => { throw new Error('no'); }, toString: () => { throw new Error('no'); } };

    for (const topic of [1, undefined, null, { toString: () => 'orders' }, Symbol('orders'), unprintable]) {
      await expect(topics.send(topic as never, [{ value: 1 }])).rejects.toThrow(TopicAccessDeniedError);
      await expect(topics.subscribe(topic as never, () => {})).rejects.toThrow(TopicAccessDeniedError);
    }
    await expect(topics.send(1 as never, [{ value: 1 }])).rejects.toThrow('Plugin "my-plugin" may not access topic "1" (allowed: 1, orders)');
  });

  it('keeps two plugins with the same topic name apart', async () => {
    const alpha = topicsOf('alpha', ['orders']);
    const beta = topicsOf('beta', ['orders']);
    const heardByAlpha = collect();
    const heardByBeta = collect();
    await alpha.subscribe('orders', heardByAlpha.handler);
    await beta.subscribe('orders', heardByBeta.handler);

    await alpha.send('orders', [{ value: 'from alpha' }]);
    await beta.send('orders', [{ value: 'from beta' }]);

    expect(heardByAlpha.received.map((message) => message.value)).toEqual(['from alpha']);
    expect(heardByBeta.received.map((message) => message.value)).toEqual(['from beta']);
  });

  it('lets two plugins talk on a shared topic both are mapped to', async () => {
    overrides.set('shop', { topicNameMap: { orders: 'shared_orders' } });
    overrides.set('billing', { topicNameMap: { incoming: 'shared_orders' } });
    const shop = topicsOf('shop', ['orders']);
    const billing = topicsOf('billing', ['incoming']);
    const { received, handler } = collect();
    await billing.subscribe('incoming', handler);

    await shop.send('orders', [{ key: 'o-1', value: 42 }]);

    expect(received).toStrictEqual([{ topic: 'incoming', key: 'o-1', value: 42 }]);
  });

  it('applies overrides changed between calls on the next call', async () => {
    const topics = topicsOf('my-plugin', ['orders']);
    const prefixed = collect();
    const mapped = collect();
    await transport.subscribe('my-plugin_orders', prefixed.handler as (message: TopicMessage) => void);
    await transport.subscribe('elsewhere', mapped.handler as (message: TopicMessage) => void);

    await topics.send('orders', [{ value: 1 }]);
    overrides.set('my-plugin', { topicNameMap: { orders: 'elsewhere' } });
    await topics.send('orders', [{ value: 2 }]);
    overrides.set('my-plugin', { allowedTopics: ['audit'] });

    await expect(topics.send('orders', [{ value: 3 }])).rejects.toThrow('Plugin "my-plugin" may not access topic "orders" (allowed: audit)');
    await expect(topics.subscribe('orders', () => {})).rejects.toThrow(TopicAccessDeniedError);
    const audit = collect();
    await topics.subscribe('audit', audit.handler);
    await topics.send('audit', [{ value: 4 }]);

    expect(prefixed.received.map((message) => message.value)).toEqual([1]);
    expect(mapped.received.map((message) => message.value)).toEqual([2]);
    expect(audit.received).toStrictEqual([{ topic: 'audit', value: 4 }]);
  });

  it('stops delivering after unsubscribe, which is idempotent', async () => {
    const topics = topicsOf('my-plugin', ['orders']);
    const kept = collect();
    const dropped = collect();
    await topics.subscribe('orders', kept.handler);
    const unsubscribe = await topics.subscribe('orders', dropped.handler);

    await topics.send('orders', [{ value: 1 }]);
    await unsubscribe();
    await unsubscribe();
    await topics.send('orders', [{ value: 2 }]);

    expect(kept.received.map((message) => message.value)).toEqual([1, 2]);
    expect(dropped.received.map((message) => message.value)).toEqual([1]);
  });

  it('ends every remaining subscription on close, idempotently', async () => {
    const topics = topicsOf('my-plugin', ['orders', 'audit']);
    const { received, handler } = collect();
    const unsubscribeOrders = await topics.subscribe('orders', handler);
    await topics.subscribe('audit', handler);
    await topics.subscribe('audit', handler);
    await unsubscribeOrders();

    await topics.close();
    await topics.close();
    await unsubscribeOrders();
    await topics.send('orders', [{ value: 1 }]);
    await topics.send('audit', [{ value: 2 }]);

    expect(received).toEqual([]);
  });

  it('isolates failing handlers from the sender and from other handlers', async () => {
    const topics = topicsOf('my-plugin', ['orders']);
    const { received, handler } = collect();
    const thrown = new Error('sync failure');
    const rejected = new Error('async failure');
    await topics.subscribe('orders', () => {
      throw thrown;
    });
    await topics.subscribe('orders', async () => {
      throw rejected;
    });
    await topics.subscribe('orders', handler);

    await expect(topics.send('orders', [{ value: 1 }])).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));

    expect(received.map((message) => message.value)).toEqual([1]);
    expect(handlerErrors).toEqual([
      [thrown, 'my-plugin_orders'],
      [rejected, 'my-plugin_orders'],
    ]);
  });

  it('refuses send and subscribe once the context is invalidated, and still closes', async () => {
    let valid = true;
    const topics = topicsOf('my-plugin', ['orders'], () => {
      if (!valid) throw new ContextInvalidatedError('my-plugin');
    });
    const { received, handler } = collect();
    await topics.subscribe('orders', handler);

    valid = false;

    await expect(topics.send('orders', [{ value: 1 }])).rejects.toThrow(ContextInvalidatedError);
    await expect(topics.subscribe('orders', () => {})).rejects.toThrow(ContextInvalidatedError);
    await topics.close();
    await transport.publish('my-plugin_orders', [{ value: 2 }]);
    expect(received).toEqual([]);
  });

  it('checks validity before access, so an unloaded plugin learns it was unloaded', async () => {
    const topics = topicsOf('my-plugin', [], () => {
      throw new ContextInvalidatedError('my-plugin');
    });

    await expect(topics.send('secret', [])).rejects.toThrow(ContextInvalidatedError);
    await expect(topics.subscribe('secret', () => {})).rejects.toThrow(ContextInvalidatedError);
  });

  describe('while the transport is still subscribing', () => {
    function slowTransport(): { transport: TopicTransport; finish(): void; stop: jest.Mock<() => Promise<void>> } {
      const stop = jest.fn(async () => {});
      let finish!: () => void;
      const started = new Promise<void>((resolve) => (finish = resolve));
      return {
        stop,
        finish,
        transport: {
          publish: async () => {},
          subscribe: async () => {
            await started;
            return stop;
          },
        },
      };
    }

    it('ends the subscription when the plugin is unloaded meanwhile', async () => {
      const slow = slowTransport();
      let valid = true;
      const topics = new ScopedTopics(new ResourceScope(metadata('my-plugin', ['orders']), overrides), slow.transport, () => {
        if (!valid) throw new ContextInvalidatedError('my-plugin');
      });

      const subscribing = topics.subscribe('orders', () => {});
      valid = false;
      slow.finish();

      await expect(subscribing).rejects.toThrow(ContextInvalidatedError);
      expect(slow.stop).toHaveBeenCalledTimes(1);
    });

    it('ends the subscription once it started when close ran meanwhile', async () => {
      const slow = slowTransport();
      const topics = new ScopedTopics(new ResourceScope(metadata('my-plugin', ['orders']), overrides), slow.transport, () => {});

      const subscribing = topics.subscribe('orders', () => {});
      const closing = topics.close();
      slow.finish();
      await closing;
      const unsubscribe = await subscribing;
      await unsubscribe();

      expect(slow.stop).toHaveBeenCalledTimes(1);
    });
  });
});
