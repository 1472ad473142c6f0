import { useMessagingCluster } from '../../support/messaging-cluster.js';
import { startNatsServer } from '../../support/nats-server.js';
import { clusterSkipReason, request, waitUntil, type ClusterInstance } from '../support/cluster-harness.js';
import { handledCounts } from '../support/messaging-app.js';

// PostgreSQL and a nats-server binary (or NATS_URL with JetStream) are both needed.
const nats = clusterSkipReason() === undefined ? await startNatsServer({ jetstream: true }) : undefined;
const skip = clusterSkipReason() ?? (nats === undefined ? 'cluster suite skipped: no NATS_URL and no nats-server binary (.ci/run installs it)' : undefined);
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

/** What one subscriber may hold unacknowledged (the fixture's `maxInFlight`): all a killed instance can leave handled twice. */
const MAX_IN_FLIGHT = 5;
const BATCH = 5;
const BATCHES = 120;

/**
 * A durable topic on three real instances of one plugin (one subscriber group) over NATS
 * JetStream, with every handled message journaled in PostgreSQL. The suite publishes
 * through the instances, SIGKILLs one half-way, and re-publishes through a survivor any
 * batch whose request failed (same ids: JetStream drops the duplicates).
 */
describeCluster('durable topic on three instances', () => {
  const cluster = useMessagingCluster('topic', () => ({ NATS_URL: nats!.url, HANDLE_MS: '5', ACK_WAIT_MS: '2000' }), async () => nats?.stop());

  const publish = (instance: ClusterInstance, ids: string[]) => request(`${instance.url}/plugins/messenger/publish`, 'POST', { ids });

  it('handles every published message after an instance is killed mid-stream, duplicates within what it held', async () => {
    const { client, instances } = cluster;
    const published: string[] = [];
    let killedAt = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      const ids = Array.from({ length: BATCH }, (_, index) => `m-${batch}-${index}`);
      if (batch === BATCHES / 2) {
        await instances[1]!.kill('SIGKILL');
        killedAt = Date.now();
      }
      // Round robin over the live instances; a failed request is sent again, same ids, through the next one.
      for (let attempt = 0; ; attempt++) {
        const live = instances.filter((instance) => instance.alive);
        const { status } = await publish(live[(batch + attempt) % live.length]!, ids);
        if (status === 200) break;
        if (attempt > 5) throw new Error(`batch ${batch} could not be published`);
      }
      published.push(...ids);
    }

    const drainedMs = await waitUntil(async () => (await handledCounts(client)).size >= published.length, 'every message handled', 30_000, 100);
    const counts = await handledCounts(client);
    expect(new Set(counts.keys())).toEqual(new Set(published));
    const duplicates = [...counts.values()].filter((count) => count > 1).length;
    expect(duplicates).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    console.log(
      `durable topic: ${published.length} published, ${counts.size} handled, ${duplicates} handled twice ` +
        `(bound ${MAX_IN_FLIGHT}); all handled ${drainedMs} ms after the last publish, the kill ${Date.now() - killedAt} ms before`,
    );
  }, 80_000);

  it('delivers a message id published twice, through two instances, once', async () => {
    const { client, instances } = cluster;
    const live = instances.filter((instance) => instance.alive);
    expect((await publish(live[0]!, ['twice'])).status).toBe(200);
    expect((await publish(live[1]!, ['twice'])).status).toBe(200);
    await waitUntil(async () => (await handledCounts(client)).has('twice'), 'the message handled', 10_000, 50);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await handledCounts(client)).get('twice')).toBe(1);
  }, 20_000);
});
