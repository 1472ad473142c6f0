import { performance } from 'node:perf_hooks';
import type { LeaseStore } from '../../../lib/tasks/lease-store.interface.js';
import { MemoryLeaseStore } from '../../../lib/tasks/memory-lease-store.js';
import { TaskRunner, type TaskRunnerOptions } from '../../../lib/tasks/task-runner.js';
import type { TaskFunction } from '../../../lib/interfaces/facets/tasks.facet.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records each run's [start, end] and fails the test on any error the runner reports. */
function recorder(runMs: number) {
  const runs: [number, number][] = [];
  const errors: unknown[] = [];
  const fn: TaskFunction = async () => {
    const start = performance.now();
    await sleep(runMs);
    runs.push([start, performance.now()]);
  };
  return { runs, errors, fn, onError: (error: unknown) => errors.push(error) };
}

function overlaps(runs: [number, number][]): number {
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  return sorted.filter((run, index) => index > 0 && run[0] < sorted[index - 1]![1]).length;
}

/** A store whose owner can "die": from then on none of its calls ever answers, like a killed process's. */
function killable(store: LeaseStore): LeaseStore & { kill(): void } {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  const call =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      dead ? never : method.apply(store, args);
  return {
    claim: call(store.claim),
    beginRun: call(store.beginRun),
    renew: call(store.renew),
    release: call(store.release),
    kill: () => (dead = true),
  };
}

const started: TaskRunner[] = [];
function runner(options: TaskRunnerOptions): TaskRunner {
  const taskRunner = new TaskRunner(options);
  started.push(taskRunner);
  taskRunner.start();
  return taskRunner;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((taskRunner) => taskRunner.stop(1000)));
});

describe('TaskRunner, local', () => {
  it('runs at once, then every everyMs, never two runs at a time', async () => {
    const { runs, errors, fn, onError } = recorder(15);
    runner({ key: 'p/t', everyMs: 10, fn, onError });
    await sleep(200);
    expect(errors).toEqual([]);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(overlaps(runs)).toBe(0);
  });

  it('a failing run is reported and the schedule goes on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    runner({ key: 'p/t', everyMs: 5, fn: () => {
      calls++;
      throw new Error('boom');
    }, onError: (error) => errors.push(error) });
    await sleep(60);
    expect(calls).toBeGreaterThan(2);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('stop aborts the run under way, waits for it, and no run starts afterwards', async () => {
    let runsStarted = 0;
    let sawAbort = false;
    const taskRunner = runner({
      key: 'p/t',
      everyMs: 1,
      fn: async ({ signal }) => {
        runsStarted++;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await sleep(20);
        sawAbort = signal.aborted;
      },
      onError: () => undefined,
    });
    await sleep(10);
    await taskRunner.stop(1000);
    expect(sawAbort).toBe(true);
    const afterStop = runsStarted;
    await sleep(50);
    expect(runsStarted).toBe(afterStop);
  });

  it('stop waits for a run that ignores the signal no longer than its wait', async () => {
    const taskRunner = runner({ key: 'p/t', everyMs: 1000, fn: () => sleep(2000), onError: () => undefined });
    await sleep(10);
    const stopping = performance.now();
    await taskRunner.stop(50);
    expect(performance.now() - stopping).toBeLessThan(500);
  });
});

describe('TaskRunner, global', () => {
  const leaseMs = 150;

  it('three runners on one store: one runs at a time, at the schedule, with no overlap', async () => {
    const store = new MemoryLeaseStore();
    const { runs, errors, fn, onError } = recorder(5);
    for (const holder of ['a', 'b', 'c']) runner({ key: 'p/t', everyMs: 20, fn, onError, lease: { store: async () => store, holder, leaseMs } });
    await sleep(400);
    expect(errors).toEqual([]);
    expect(overlaps(runs)).toBe(0);
    // Every 20 ms for 400 ms, give or take the timers: not three times as many.
    expect(runs.length).toBeGreaterThan(8);
    expect(runs.length).toBeLessThan(25);
  });

  it('another runner takes over within the lease after the holder dies', async () => {
    const shared = new MemoryLeaseStore();
    const ranBy: string[] = [];
    const a = killable(shared);
    runner({ key: 'p/t', everyMs: 10, fn: () => void ranBy.push('a'), onError: () => undefined, lease: { store: async () => a, holder: 'a', leaseMs } });
    await sleep(30);
    runner({ key: 'p/t', everyMs: 10, fn: () => void ranBy.push('b'), onError: () => undefined, lease: { store: async () => shared, holder: 'b', leaseMs } });
    await sleep(60);
    expect(ranBy.length).toBeGreaterThan(0);
    expect(ranBy.every((holder) => holder === 'a')).toBe(true);

    a.kill();
    const killedAt = performance.now();
    const before = ranBy.length;
    while (!ranBy.slice(before).includes('b') && performance.now() - killedAt < 2000) await sleep(5);
    expect(performance.now() - killedAt).toBeLessThanOrEqual(leaseMs + 60);
  });

  it('a run whose lease cannot be renewed is aborted; a run is not started when beginRun is refused', async () => {
    const store = new MemoryLeaseStore();
    const refusing: LeaseStore = { ...bind(store), renew: async () => false };
    let aborted = false;
    runner({
      key: 'p/t',
      everyMs: 1000,
      fn: async ({ signal }) => {
        await sleep(leaseMs);
        aborted = signal.aborted;
      },
      onError: () => undefined,
      lease: { store: async () => refusing, holder: 'a', leaseMs },
    });
    await sleep(leaseMs + 50);
    expect(aborted).toBe(true);

    let ran = false;
    const noRun: LeaseStore = { ...bind(new MemoryLeaseStore()), beginRun: async () => false };
    runner({ key: 'p/u', everyMs: 5, fn: () => void (ran = true), onError: () => undefined, lease: { store: async () => noRun, holder: 'a', leaseMs } });
    await sleep(50);
    expect(ran).toBe(false);
  });

  it('stop releases the lease, so another runner takes over at its next claim, before the lease would have run out', async () => {
    const store = new MemoryLeaseStore();
    const ranBy: string[] = [];
    const first = runner({ key: 'p/t', everyMs: 5, fn: () => void ranBy.push('a'), onError: () => undefined, lease: { store: async () => store, holder: 'a', leaseMs: 900 } });
    await sleep(20);
    runner({ key: 'p/t', everyMs: 5, fn: () => void ranBy.push('b'), onError: () => undefined, lease: { store: async () => store, holder: 'b', leaseMs: 900 } });
    await sleep(20);
    await first.stop(1000);
    // b asks again every third of the lease (300 ms); a's lease would have lasted ~880 ms more.
    await sleep(450);
    expect(ranBy).toContain('b');
  });

  it('a store that fails is reported and tried again', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    runner({
      key: 'p/t',
      everyMs: 5,
      fn: () => undefined,
      onError: (error) => errors.push(error),
      lease: {
        store: async () => {
          attempts++;
          throw new Error('database down');
        },
        holder: 'a',
        leaseMs: 30,
      },
    });
    await sleep(100);
    expect(attempts).toBeGreaterThan(2);
    expect((errors[0] as Error).message).toBe('database down');
  });
});

function bind(store: LeaseStore): LeaseStore {
  return {
    claim: store.claim.bind(store),
    beginRun: store.beginRun.bind(store),
    renew: store.renew.bind(store),
    release: store.release.bind(store),
  };
}
