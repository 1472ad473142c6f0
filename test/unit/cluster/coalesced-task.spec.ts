import { CoalescedTask } from '../../../lib/cluster/coalesced-task.js';

describe('CoalescedTask', () => {
  it('runs once more after the current run when asked meanwhile, however often', async () => {
    let runs = 0;
    let release!: () => void;
    const task = new CoalescedTask(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = task.run();
    void task.run();
    void task.run();
    release();
    await first;
    await task.idle();
    expect(runs).toBe(2);
  });
});
