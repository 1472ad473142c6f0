import { jest } from '@jest/globals';
import type { NatsConnection } from 'nats';
import { InvalidTopicSubjectError } from '../../../../lib/resources/topics/invalid-topic-subject.error.js';
import { NatsTopicTransport } from '../../../../lib/resources/topics/nats.topic-transport.js';

/** Only what the transport touches; the end-to-end spec runs against a real server. */
function fakeConnection() {
  return {
    publish: jest.fn(),
    subscribe: jest.fn(() => ({ unsubscribe: jest.fn(), isClosed: () => false, drain: async () => {} })),
    flush: jest.fn(async () => {}),
  };
}

describe('NatsTopicTransport (without a server)', () => {
  it.each([
    ['a wildcard token', 'my-plugin_orders.*'],
    ['a full wildcard', '>'],
    ['a trailing full wildcard', 'shop.>'],
    ['a wildcard inside a token', 'my-plugin_ord*rs'],
    ['whitespace', 'my-plugin_new orders'],
    ['a tab', 'my-plugin_orders\t'],
    ['an empty token', 'shop..orders'],
    ['a leading dot', '.orders'],
    ['a trailing dot', 'orders.'],
    ['an empty name', ''],
    ['more than 1024 bytes', 'x'.repeat(1025)],
    ['more than 1024 bytes in UTF-8', 'é'.repeat(513)],
  ])('refuses %s before touching the connection', async (_, subject) => {
    const connection = fakeConnection();
    const transport = new NatsTopicTransport(connection as unknown as NatsConnection);

    await expect(transport.publish(subject, [{ value: 1 }])).rejects.toThrow(InvalidTopicSubjectError);
    await expect(transport.subscribe(subject, () => {})).rejects.toThrow(`Topic "${subject}" cannot be used as a NATS subject`);
    expect(connection.publish).not.toHaveBeenCalled();
    expect(connection.subscribe).not.toHaveBeenCalled();
  });

  it.each(['my-plugin_orders', 'shop.orders', 'a_b-c.d_e', 'x'.repeat(1024)])('accepts the literal subject %s', async (subject) => {
    const connection = fakeConnection();
    const transport = new NatsTopicTransport(connection as unknown as NatsConnection);

    await transport.publish(subject, [{ value: 1 }]);
    await transport.subscribe(subject, () => {});

    expect(connection.publish).toHaveBeenCalledWith(subject, expect.any(Uint8Array));
    expect(connection.subscribe).toHaveBeenCalledWith(subject, expect.anything());
  });

  it('sends the JSON envelope, without a key when there is none, then flushes', async () => {
    const connection = fakeConnection();
    const transport = new NatsTopicTransport(connection as unknown as NatsConnection);

    await transport.publish('t', [{ key: 'k', value: { n: 1 } }, { value: [true] }]);

    const sent = connection.publish.mock.calls.map((call) => new TextDecoder().decode((call as unknown as [string, Uint8Array])[1]));
    expect(sent).toEqual(['{"key":"k","value":{"n":1}}', '{"value":[true]}']);
    expect(connection.flush).toHaveBeenCalledTimes(1);
  });

  it('sends none of a batch when one value is not JSON-serialisable', async () => {
    const connection = fakeConnection();
    const transport = new NatsTopicTransport(connection as unknown as NatsConnection);

    await expect(transport.publish('t', [{ value: 1 }, { value: 10n }])).rejects.toThrow(TypeError);

    expect(connection.publish).not.toHaveBeenCalled();
  });
});
