import { jest } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { MeteredStatements } from '../../../lib/observability/metrics/metered-statement.js';
import { SqlCounters } from '../../../lib/observability/metrics/plugin-meter.js';
import { useTimingTick } from '../../../lib/observability/metrics/timing-tick.js';

describe('MeteredStatements', () => {
  let stopTick: () => void;

  beforeEach(() => {
    // The tick's timer is faked; the clock a statement's time is read from is not.
    jest.useFakeTimers({ doNotFake: ['performance'] });
    stopTick = useTimingTick();
  });

  afterEach(() => {
    stopTick();
    jest.useRealTimers();
  });

  it('times one statement per tick, and lets its time stand for the untimed ones settled since', () => {
    const counters = new SqlCounters();
    const metered = new MeteredStatements(counters);
    const first = metered.clockIfDue();
    expect(first).toBeGreaterThan(0);
    metered.succeeded(first);
    const timedOnce = counters.seconds;
    expect(timedOnce).toBeGreaterThan(0);

    for (let i = 0; i < 9; i++) {
      const startedAt = metered.clockIfDue();
      expect(startedAt).toBe(0);
      if (i === 4) metered.failed(startedAt, Object.assign(new Error('refused'), { code: 'PLUGIN_SQL_NOT_ALLOWED' }));
      else metered.succeeded(startedAt);
    }
    expect(counters).toMatchObject({ ok: 9, refused: 1, error: 0, seconds: timedOnce });

    jest.advanceTimersByTime(50);
    const clock = jest.spyOn(performance, 'now').mockReturnValueOnce(1_000).mockReturnValueOnce(1_002);
    const next = metered.clockIfDue();
    metered.succeeded(next);
    clock.mockRestore();
    // Ten statements' time: this one's 2 ms, standing for the nine untimed before it too.
    expect(counters.seconds - timedOnce).toBeCloseTo(0.02, 9);
    expect(counters.ok).toBe(10);
  });
});
