import { PendingCalls } from '../../../lib/isolation/host/pending-calls.js';

describe('PendingCalls', () => {
  it('counts a call started once the process guest reported it or a later one (calls are taken up in order)', () => {
    const pending = new PendingCalls();
    const [first, second, third] = [pending.add(), pending.add(), pending.add()];
    expect(pending.isStarted(first)).toBe(false);
    pending.started(second);
    expect([pending.isStarted(first), pending.isStarted(second), pending.isStarted(third)]).toEqual([true, true, false]);
    pending.started(first);
    expect(pending.isStarted(second)).toBe(true);
  });

  it("reads a thread guest's shared slot, past 2^31 calls too", () => {
    const slot = new Int32Array(new SharedArrayBuffer(4));
    const pending = new PendingCalls(slot);
    const first = pending.add();
    expect(pending.isStarted(first)).toBe(false);
    Atomics.store(slot, 0, first | 0);
    expect(pending.isStarted(first)).toBe(true);
    const late = 2 ** 31 + 5;
    Atomics.store(slot, 0, late | 0);
    expect([pending.isStarted(late - 1), pending.isStarted(late), pending.isStarted(late + 1)]).toEqual([true, true, false]);
  });
});
