/** A synchronous method's calls from one caller are timed at most once in this long (every call, at lower rates). */
export const SYNC_TIMING_TICK_MS = 50;

/**
 * A coarse clock that decides which synchronous calls are timed: one unref'd timer bumps it, and
 * the call hook reads it as one module variable. Reading the real clock costs as much as a whole
 * synchronous call on some machines (50–200 ns on a VM's kvm-clock); a count of calls (one in N)
 * would leave a method called a few times a minute with no durations at all.
 */
export let timingTick = 0;

let timer: NodeJS.Timeout | undefined;
let users = 0;

/** Runs the tick while at least one user needs it; returns that user's stop (idempotent). */
export function useTimingTick(): () => void {
  if (users++ === 0) {
    timer = setInterval(() => timingTick++, SYNC_TIMING_TICK_MS);
    timer.unref();
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--users === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
