import { nodeStatusAt } from '../../../lib/cluster/node-state.js';

describe('nodeStatusAt', () => {
  it('keeps an instance alive through up to three missed beats, then calls it unreachable', () => {
    expect(nodeStatusAt(10_000, 10_000 + 3 * 1_000, 1_000)).toBe('alive');
    expect(nodeStatusAt(10_000, 10_000 + 3 * 1_000 + 1, 1_000)).toBe('unreachable');
  });
});
