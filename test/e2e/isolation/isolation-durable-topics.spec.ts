import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { connect, type NatsConnection } from 'nats';
import type { ReceivedTopicMessage } from '../../../lib/interfaces/facets/topics.facet.js';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { NatsTopicTransport } from '../../../lib/resources/topics/nats.topic-transport.js';
import { ScopedTopics } from '../../../lib/resources/topics/scoped-topics.js';
import { startNatsServer } from '../../support/nats-server.js';
import { compiledFixture, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

// Decided before `describe`, so a machine without nats-server shows a skipped suite that says why.
const server = await startNatsServer({ jetstream: true });
const describeWithNats = server === undefined ? describe.skip : describe;
const suiteName = (mode: string) =>
  server === undefined
    ? `durable topics from an isolated plugin in mode ${mode} (skipped: no NATS_URL and no nats-server binary; .ci/run installs it)`
    : `durable topics from an isolated plugin in mode ${mode}`;

const DURABLE = { ackWaitMs: 1000, retryDelayMs: 50 };
const publisher: PluginMetadata = { name: 'iso-durable', version: '1.0.0', allowedTopics: [{ name: 'orders', durable: true }] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SPEC §13 and durable topics: a message's `id` crosses the boundary with it, so JetStream drops
 * a second publish of the same id from a plugin in a thread or a process, as it does inline.
 * Judged by what a subscriber on the host received.
 */
afterAll(async () => {
  await server?.stop();
});

describe.each(['thread', 'process'] as const)('%s', (mode) => {
  describeWithNats(suiteName(mode), () => {
    const connections: NatsConnection[] = [];
    let lib: CompiledLibrary;
    let app: INestApplicationContext;
    let subscriber: ScopedTopics;
    const received: ReceivedTopicMessage[] = [];

    beforeAll(async () => {
      lib = await loadCompiledLibrary();
      const open = async () => {
        const connection = await connect({ servers: server!.url });
        connections.push(connection);
        return connection;
      };
      const moduleRef = await Test.createTestingModule({
        imports: [
          lib.PluginModule.forRoot({
            pluginsDir: compiledFixture('durable'),
            isolation: { 'iso-durable': mode },
            // The transport is used through its interface, so the source copy serves the compiled host.
            topicTransport: new NatsTopicTransport(await open(), { durable: DURABLE }),
          }),
        ],
      }).compile();
      moduleRef.useLogger(false);
      app = await moduleRef.init();

      // A subscriber group of its own per mode, on the publisher's real topic.
      const realName = new ResourceScope(publisher, new ResourceOverridesStore()).topic('orders').realName;
      const overrides = new ResourceOverridesStore();
      overrides.set(`audit-${mode}`, { allowedTopics: [{ name: 'orders', durable: true }], topicNameMap: { orders: realName } });
      const metadata: PluginMetadata = { name: `audit-${mode}`, version: '1.0.0', allowedTopics: [{ name: 'orders', durable: true }] };
      subscriber = new ScopedTopics(new ResourceScope(metadata, overrides), new NatsTopicTransport(await open(), { durable: DURABLE }), () => undefined);
      await subscriber.subscribe('orders', (message) => void received.push(message));
    }, 90_000);

    afterAll(async () => {
      await app?.close();
      await subscriber?.close();
      await Promise.all(connections.map((connection) => connection.close()));
    });

    it('delivers a message sent twice with one id once', async () => {
      const call = (id: string, value: unknown) => (app.get(lib.PluginRegistry) as any).call('iso-durable', 'publish', id, value);
      await call(`${mode}-1`, { attempt: 1 });
      await call(`${mode}-1`, { attempt: 2 });
      await call(`${mode}-2`, { attempt: 1 });
      const ours = () => received.filter((message) => message.id?.startsWith(`${mode}-`));
      await waitUntil(() => ours().some((message) => message.id === `${mode}-2`), 'the second id');
      await sleep(300);
      expect(ours().map(({ id, value }) => ({ id, value }))).toEqual([
        { id: `${mode}-1`, value: { attempt: 1 } },
        { id: `${mode}-2`, value: { attempt: 1 } },
      ]);
    }, 30_000);
  });
});
