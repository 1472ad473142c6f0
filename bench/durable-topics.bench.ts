import { connect, type NatsConnection } from 'nats';
import type { PluginMetadata } from '../lib/interfaces/plugin-metadata.interface.js';
import { ResourceOverridesStore } from '../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../lib/resources/resource-scope.js';
import { NatsTopicTransport } from '../lib/resources/topics/nats.topic-transport.js';
import { ScopedTopics } from '../lib/resources/topics/scoped-topics.js';
import { startNatsServer } from '../test/support/nats-server.js';
import { formatNumber, median, ratioFigure, type Figure } from './harness.js';

/**
 * Durable topics (JetStream: stored before `send` resolves, acknowledged after the handler)
 * against plain topics (NATS core, at most once) on one loopback nats-server: the latency
 * of one message from `send` to its handler, and the cost per message of a stream of them.
 */

const ROUND_TRIPS = 300;
const STREAM_MESSAGES = 3_000;
const BATCH = 100;

export async function runDurableTopicsBench(): Promise<Figure[]> {
  const server = await startNatsServer({ jetstream: true });
  if (server === undefined) return [{ name: 'durable topics (skipped: no nats-server)', detail: 'needs nats-server', value: 0, unit: 'ms' }];
  const connections: NatsConnection[] = [];
  const scopes: ScopedTopics[] = [];
  try {
    const topicsOf = async (name: string, durable: boolean) => {
      const connection = await connect({ servers: server.url });
      connections.push(connection);
      const metadata: PluginMetadata = { name, version: '1.0.0', allowedTopics: [durable ? { name: 'events', durable: true } : 'events'] };
      const topics = new ScopedTopics(new ResourceScope(metadata, new ResourceOverridesStore()), new NatsTopicTransport(connection), () => undefined);
      scopes.push(topics);
      return topics;
    };
    const plain = await measure(await topicsOf('bench-plain', false));
    const durable = await measure(await topicsOf('bench-durable', true));
    return [
      {
        ...ratioFigure('durable topic: send → handler, one message (p50)', durable.latencyUs, plain.latencyUs, 'µs'),
        detail: `${formatNumber(durable.latencyUs)} µs vs ${formatNumber(plain.latencyUs)} µs (plain NATS topic); ${ROUND_TRIPS} round trips`,
      },
      {
        ...ratioFigure('durable topic: stream of messages, per message', durable.perMessageUs, plain.perMessageUs, 'µs'),
        detail: `${formatNumber(durable.perMessageUs)} µs vs ${formatNumber(plain.perMessageUs)} µs (plain); ${STREAM_MESSAGES} messages in sends of ${BATCH}`,
      },
    ];
  } finally {
    await Promise.all(scopes.map((topics) => topics.close()));
    await Promise.all(connections.map((connection) => connection.close()));
    await server.stop();
  }
}

/** One subscriber on the same topics object: p50 latency of single messages, then the time per message of a stream. */
async function measure(topics: ScopedTopics): Promise<{ latencyUs: number; perMessageUs: number }> {
  let handled = 0;
  let waiter: (() => void) | undefined;
  let waitingFor = 0;
  await topics.subscribe('events', () => {
    handled++;
    if (waiter !== undefined && handled >= waitingFor) waiter();
  });
  const until = (count: number) =>
    new Promise<void>((resolve) => {
      if (handled >= count) return resolve();
      waitingFor = count;
      waiter = resolve;
    });

  const latencies: number[] = [];
  for (let index = 0; index < ROUND_TRIPS; index++) {
    // Counted before sending: a durable send resolves after the server stored it, and the handler may have run by then.
    const expected = handled + 1;
    const start = process.hrtime.bigint();
    await topics.send('events', [{ id: `l-${index}`, value: index }]);
    await until(expected);
    latencies.push(Number(process.hrtime.bigint() - start) / 1000);
  }

  const before = handled;
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < STREAM_MESSAGES; sent += BATCH) {
    await topics.send('events', Array.from({ length: BATCH }, (_, index) => ({ id: `s-${sent + index}`, value: sent + index })));
  }
  await until(before + STREAM_MESSAGES);
  const perMessageUs = Number(process.hrtime.bigint() - start) / 1000 / STREAM_MESSAGES;
  return { latencyUs: median(latencies), perMessageUs };
}
