/**
 * The longest stretch the host's event loop went without running a timer, while `work` ran,
 * and the slowest answer to a host probe (its own query) sent every PROBE_EVERY_MS meanwhile.
 * A 10 ms interval fires late by as much as something held the loop.
 */
const TICK_MS = 10;
const PROBE_EVERY_MS = 25;

export interface LoopReading<T> {
  readonly outcome: PromiseSettledResult<T>;
  /** the longest gap between two ticks, minus the tick itself */
  readonly maxGapMs: number;
  /** the slowest host probe */
  readonly maxProbeMs: number;
  readonly probes: number;
}

export async function measureLoop<T>(work: () => Promise<T>, probe: () => Promise<unknown>): Promise<LoopReading<T>> {
  let last = performance.now();
  let maxGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last - TICK_MS);
    last = now;
  }, TICK_MS);
  let maxProbeMs = 0;
  let probes = 0;
  let running = true;
  const probing = (async () => {
    while (running) {
      const start = performance.now();
      await probe();
      maxProbeMs = Math.max(maxProbeMs, performance.now() - start);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  // Let the ticker and the probe start before the attack does.
  await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));
  const [outcome] = await Promise.allSettled([work()]);
  running = false;
  await probing;
  clearInterval(ticker);
  const now = performance.now();
  maxGapMs = Math.max(maxGapMs, now - last - TICK_MS);
  return { outcome: outcome!, maxGapMs, maxProbeMs, probes };
}
