import os from 'node:os';

/** Runs `loops` operations and returns something derived from their results (fed to the sink). */
export type SyncLoop = (loops: number) => number;
export type AsyncLoop = (loops: number) => Promise<number>;

export interface PairOptions {
  /** operations per timed sample: enough that the timer and the harness call vanish */
  loops: number;
  samples: number;
  /** untimed samples per side first, so both sides are optimized before timing */
  warmupSamples: number;
}

export interface PairResult {
  baseline: number;
  subject: number;
}

/**
 * Every result is folded in here and checked at the end, so the optimizer cannot
 * drop a loop whose value is otherwise unused.
 */
let sink = 0;
export function consume(value: number): void {
  sink = (sink + (value | 0)) | 0;
}
export function sinkValue(): number {
  return sink;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function nanosecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * Median ns/op of baseline and subject. Samples alternate between the two, and which
 * goes first alternates too, so drift (thermal, GC, JIT) lands on both sides equally.
 */
export function comparePair(baseline: SyncLoop, subject: SyncLoop, options: PairOptions): PairResult {
  for (let i = 0; i < options.warmupSamples; i++) {
    consume(baseline(options.loops));
    consume(subject(options.loops));
  }
  const timeOne = (loop: SyncLoop): number => {
    const start = process.hrtime.bigint();
    consume(loop(options.loops));
    return nanosecondsSince(start) / options.loops;
  };
  const baselineSamples: number[] = [];
  const subjectSamples: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    if (i % 2 === 0) {
      baselineSamples.push(timeOne(baseline));
      subjectSamples.push(timeOne(subject));
    } else {
      subjectSamples.push(timeOne(subject));
      baselineSamples.push(timeOne(baseline));
    }
  }
  return { baseline: median(baselineSamples), subject: median(subjectSamples) };
}

/** `comparePair` for loops that await each operation. */
export async function comparePairAsync(baseline: AsyncLoop, subject: AsyncLoop, options: PairOptions): Promise<PairResult> {
  for (let i = 0; i < options.warmupSamples; i++) {
    consume(await baseline(options.loops));
    consume(await subject(options.loops));
  }
  const timeOne = async (loop: AsyncLoop): Promise<number> => {
    const start = process.hrtime.bigint();
    consume(await loop(options.loops));
    return nanosecondsSince(start) / options.loops;
  };
  const baselineSamples: number[] = [];
  const subjectSamples: number[] = [];
  for (let i = 0; i < options.samples; i++) {
    if (i % 2 === 0) {
      baselineSamples.push(await timeOne(baseline));
      subjectSamples.push(await timeOne(subject));
    } else {
      subjectSamples.push(await timeOne(subject));
      baselineSamples.push(await timeOne(baseline));
    }
  }
  return { baseline: median(baselineSamples), subject: median(subjectSamples) };
}

/** Wall time of one async run in ms, after a full GC so earlier runs' garbage is not billed to it. */
export async function timeOnceMs(run: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  await run();
  return nanosecondsSince(start) / 1e6;
}

export { seededRandom } from '../test/support/seeded-random.js';

// ---------------------------------------------------------------------------------
// Figures: each line is one number checked against a target.

export interface Figure {
  name: string;
  /** what was measured, e.g. "12.1 ns/op vs 9.8 ns/op" */
  detail: string;
  /** the number the target is about (a ratio, or ms for absolute targets) */
  value: number;
  unit: '×' | 'ms' | 'µs' | 'KiB' | 'MB';
  /** absent for figures reported for information only */
  target?: { comparison: '≤' | '≥'; limit: number };
}

export function passes(figure: Figure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  const { comparison, limit } = figure.target;
  return comparison === '≤' ? figure.value <= limit : figure.value >= limit;
}

/** subject / baseline, checked against `≤ limit` (lower is better); no limit: information only. */
export function ratioFigure(name: string, subject: number, baseline: number, unit: string, limit?: number): Figure {
  return {
    name,
    detail: `${formatNumber(subject)} ${unit} vs ${formatNumber(baseline)} ${unit}`,
    value: subject / baseline,
    unit: '×',
    ...(limit === undefined ? {} : { target: { comparison: '≤' as const, limit } }),
  };
}

export function formatNumber(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatFigure(figure: Figure): string {
  const suffix = figure.unit === '×' ? '×' : ` ${figure.unit}`;
  const target = figure.target === undefined ? '—' : `${figure.target.comparison} ${figure.target.limit}${suffix}`;
  const passed = passes(figure);
  const verdict = passed === undefined ? 'info' : passed ? 'PASS' : 'FAIL';
  return `| ${figure.name} | ${figure.detail} | ${formatNumber(figure.value)}${suffix} | ${target} | ${verdict} |`;
}

export const TABLE_HEADER = ['| figure | measured | value | target | result |', '|---|---|---:|---|---|'];

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

export function describeMachine(info: MachineInfo): string {
  return `${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB RAM, Node ${info.node} (${info.platform}), ${info.date}`;
}
