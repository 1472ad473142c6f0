import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { InProcessTopicTransport } from '../../../../lib/resources/topics/in-process.topic-transport.js';
import type { TopicHandler, TopicMessage } from '../../../../lib/resources/topics/topic-transport.interface.js';

function values(messages: readonly TopicMessage[]): unknown[] {
  return messages.map((message) => message.value);
}

describe('InProcessTopicTransport', () => {
  it('has called every handler, in message order, when publish returns', () => {
    const transport = new InProcessTopicTransport();
    const first: TopicMessage[] = [];
    const second: TopicMessage[] = [];
    void transport.subscribe('t', (message) => void first.push(message));
    void transport.subscribe('t', (message) => void second.push(message));
    const sent = [{ key: 'a', value: 1 }, { value: 2 }];

    void transport.publish('t', sent);

    expect(first).toEqual(sent);
    expect(second).toEqual(sent);
    expect(first[0]).toBe(sent[0]);
  });

  it('publishes to a topic nobody listens on without error', async () => {
    await expect(new InProcessTopicTransport().publish('nobody', [{ value: 1 }])).resolves.toBeUndefined();
  });

  it('queues a publish made by a handler behind the running delivery, keeping per-topic order', async () => {
    const transport = new InProcessTopicTransport();
    const seenByFirst: TopicMessage[] = [];
    const seenBySecond: TopicMessage[] = [];
    await transport.subscribe('t', (message) => {
      seenByFirst.push(message);
      if (message.value === 1) void transport.publish('t', [{ value: 'reply' }]);
    });
    await transport.subscribe('t', (message) => void seenBySecond.push(message));

    await transport.publish('t', [{ value: 1 }, { value: 2 }]);

    expect(values(seenByFirst)).toEqual([1, 2, 'reply']);
    expect(values(seenBySecond)).toEqual([1, 2, 'reply']);
  });

  it('applies a subscribe or unsubscribe made during a delivery from the next publish on', async () => {
    const transport = new InProcessTopicTransport();
    const late: TopicMessage[] = [];
    const victim: TopicMessage[] = [];
    let unsubscribeVictim!: () => Promise<void>;
    await transport.subscribe('t', (message) => {
      if (message.value === 1) {
        void transport.subscribe('t', (lateMessage) => void late.push(lateMessage));
        void unsubscribeVictim();
      }
    });
    unsubscribeVictim = await transport.subscribe('t', (message) => void victim.push(message));

    await transport.publish('t', [{ value: 1 }, { value: 2 }]);
    await transport.publish('t', [{ value: 3 }]);

    expect(values(victim)).toEqual([1, 2]);
    expect(values(late)).toEqual([3]);
  });

  it('removes one subscription per unsubscribe, even of the same handler, and only once', async () => {
    const transport = new InProcessTopicTransport();
    const received: TopicMessage[] = [];
    const handler: TopicHandler = (message) => void received.push(message);
    const unsubscribeFirst = await transport.subscribe('t', handler);
    const unsubscribeSecond = await transport.subscribe('t', handler);

    await unsubscribeFirst();
    await unsubscribeFirst();
    await transport.publish('t', [{ value: 1 }]);
    await unsubscribeSecond();
    await transport.publish('t', [{ value: 2 }]);

    expect(values(received)).toEqual([1]);
  });

  it('reports thrown and rejected handler errors with the topic, and keeps delivering', async () => {
    const reported: Array<[unknown, string]> = [];
    const transport = new InProcessTopicTransport({ onHandlerError: (error, topic) => reported.push([error, topic]) });
    const received: TopicMessage[] = [];
    const thrown = new Error('thrown');
    await transport.subscribe('t', () => {
      throw thrown;
    });
    await transport.subscribe('t', () => Promise.reject('rejected'));
    await transport.subscribe('t', (message) => void received.push(message));

    await transport.publish('t', [{ value: 1 }]);
    await new Promise((resolve) => setImmediate(resolve));

    expect(values(received)).toEqual([1]);
    expect(reported).toEqual([
      [thrown, 't'],
      ['rejected', 't'],
    ]);
  });

  it('logs handler errors with Nest’s Logger, naming the topic, by default', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
    try {
      const transport = new InProcessTopicTransport();
      await transport.subscribe('my-plugin_orders', () => {
        throw new Error('boom');
      });

      await transport.publish('my-plugin_orders', [{ value: 1 }]);

      expect(logged).toHaveBeenCalledWith(expect.stringContaining('"my-plugin_orders"'), expect.stringContaining('boom'));
    } finally {
      logged.mockRestore();
    }
  });

  it('logs what a throwing onHandlerError threw, and keeps delivering', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
    try {
      const transport = new InProcessTopicTransport({
        onHandlerError: () => {
          throw new Error('listener failed');
        },
      });
      const received: TopicMessage[] = [];
      await transport.subscribe('t', () => {
        throw new Error('handler failed');
      });
      await transport.subscribe('t', (message) => void received.push(message));

      await transport.publish('t', [{ value: 1 }]);
      await transport.publish('t', [{ value: 2 }]);

      expect(values(received)).toEqual([1, 2]);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('listener failed'), expect.any(String));
    } finally {
      logged.mockRestore();
    }
  });

  it('rejects messages that are not an array and keeps delivering', async () => {
    const transport = new InProcessTopicTransport();
    const received: TopicMessage[] = [];
    await transport.subscribe('t', (message) => void received.push(message));

    await expect(transport.publish('t', null as unknown as TopicMessage[])).rejects.toThrow('Messages for topic "t" must be an array');
    await transport.publish('t', [{ value: 1 }]);

    expect(values(received)).toEqual([1]);
  });
});
