import { useMessagingCluster } from '../../support/messaging-cluster.js';
import { clusterSkipReason, waitUntil } from '../support/cluster-harness.js';
import { overlappingRuns, taskRuns } from '../support/messaging-app.js';

const skip = clusterSkipReason();
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

const LEASE_MS = 1500;

/**
 * A global task on three real instances sharing PostgreSQL: each run journals its start and
 * end (epoch ms, one machine's clock) in the database. Over 100 runs no two overlap; after
 * the holder is killed with SIGKILL, another instance runs the task within the lease.
 */
describeCluster('global task on three instances', () => {
  const cluster = useMessagingCluster('task', () => ({ TASK_EVERY_MS: '60', TASK_RUN_MS: '20', LEASE_MS: String(LEASE_MS) }));

  it('runs 100 times without two runs overlapping, then resumes within the lease after its holder is killed', async () => {
    const { client, instances } = cluster;
    await waitUntil(async () => (await taskRuns(client)).filter((run) => run.endedAt !== null).length >= 100, '100 runs', 30_000, 200);
    const runs = await taskRuns(client);
    expect(overlappingRuns(runs)).toBe(0);

    const holder = instances.find((instance) => instance.name === runs.at(-1)!.node)!;
    await holder.kill('SIGKILL');
    const killedAt = Date.now();
    const takeoverMs = await waitUntil(
      async () => (await taskRuns(client)).some((run) => run.node !== holder.name && run.startedAt > killedAt),
      'another instance to run the task',
      LEASE_MS * 4,
      20,
    );
    const after = await taskRuns(client);
    const firstByOther = after.find((run) => run.node !== holder.name && run.startedAt > killedAt)!;
    // Within the lease, plus the polling of this check and one run's journal write.
    expect(firstByOther.startedAt - killedAt).toBeLessThanOrEqual(LEASE_MS + 250);
    expect(overlappingRuns(after, killedAt)).toBe(0);
    console.log(
      `global task: ${runs.length} runs before the kill, 0 overlapping; holder ${holder.name} killed, ` +
        `${firstByOther.node} ran ${firstByOther.startedAt - killedAt} ms later (lease ${LEASE_MS} ms; seen after ${takeoverMs} ms)`,
    );
  }, 60_000);
});
