import { serviceStateAt } from '../../../../lib/services/registry/service-state.js';

describe('serviceStateAt', () => {
  it.each([
    [0, 'HEALTHY'],
    [1_000, 'HEALTHY'],
    [1_001, 'DEGRADED'],
    [2_000, 'DEGRADED'],
    [2_001, 'UNAVAILABLE'],
  ])('%i ms after the last heartbeat (stale after 1000 ms): %s', (silentForMs, state) => {
    expect(serviceStateAt(5_000, 5_000 + silentForMs, 1_000)).toBe(state);
  });
});
