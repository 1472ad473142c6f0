import { RestartPolicy } from '../../../lib/isolation/restart-policy.js';

describe('RestartPolicy', () => {
  it('restarts with a doubling delay and gives up on the crash after maxRestarts in the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 3, windowMs: 1_000 });
    expect([policy.afterCrash(0), policy.afterCrash(10), policy.afterCrash(20)]).toEqual([50, 100, 200]);
    expect(policy.afterCrash(30)).toBeUndefined();
  });

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, windowMs: 1_000 });
    expect(policy.afterCrash(0)).toBe(50);
    expect(policy.afterCrash(1_000)).toBe(50);
    expect(policy.afterCrash(1_500)).toBeUndefined();
  });

  it('defaults to 3 restarts within 5 minutes and caps the delay', () => {
    const policy = new RestartPolicy();
    for (const at of [0, 1, 2]) expect(policy.afterCrash(at)).toBeDefined();
    expect(policy.afterCrash(299_000)).toBeUndefined();
    const patient = new RestartPolicy({ maxRestarts: 20 });
    const delays = Array.from({ length: 20 }, (_, index) => patient.afterCrash(index)!);
    expect(Math.max(...delays)).toBe(5_000);
  });
});

describe('RestartPolicy counting', () => {
  it('counts the crashes in the window, for "restart n of max"', () => {
    const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 1_000 });
    policy.afterCrash(0);
    expect([policy.recentCrashes, policy.maxRestarts]).toEqual([1, 2]);
    policy.afterCrash(10);
    expect(policy.recentCrashes).toBe(2);
    policy.afterCrash(2_000);
    expect(policy.recentCrashes).toBe(1);
  });
});
