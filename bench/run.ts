import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GroupResult } from './run-group.js';
import { describeMachine, formatFigure, formatNumber, machineInfo, passes, TABLE_HEADER, type Figure } from './harness.js';

/**
 * Runs every figure group in a fresh process, prints each figure as it arrives, then a
 * summary, and rewrites bench/RESULTS.md (unless only some groups were named). Exits 0 whatever the verdicts: this reports, it does not gate.
 */

/**
 * Group name -> processes to run it in. Sub-nanosecond call figures depend on what the JIT
 * happened to inline in that process (seen: the same handle figure at 1.8× and 5× in two
 * processes), so the call group runs in several and each figure is the median across them.
 */
const GROUPS: ReadonlyArray<readonly [name: string, processes: number]> = [
  ['registry-call', 5],
  ['resolve', 1],
  ['boot', 1],
  ['runtime', 3],
  ['resources', 3],
  ['call-guards', 1],
  ['shared-data', 1],
  ['gateway', 3],
  // spawns its own fresh processes, one per sample
  ['import-weight', 1],
  ['cluster-state', 1],
  // starts its own worker threads and child processes
  ['isolation', 1],
  // a process guest in bubblewrap against the same guest without it
  ['sandbox', 1],
  ['durable-topics', 1],
  // plugins on migrations against synchronize, and an upgrade's unavailability
  ['migrations', 1],
  // per-plugin metrics on against off, and their memory
  ['metrics', 5],
  // npm pack (builds the package), then the tarball installed into an empty app
  ['package', 1],
  // spawns fresh processes for the API-without-SDK figure
  ['tracing', 1],
  // a registry on loopback, verified installs into sandboxed processes
  ['install', 1],
];
const GROUP_ENTRY = fileURLToPath(new URL('./run-group.js', import.meta.url));
// Compiled to bench/.build/bench/run.js; RESULTS.md belongs beside the sources.
const RESULTS_FILE = fileURLToPath(new URL('../../RESULTS.md', import.meta.url));

function runGroup(name: string): Promise<GroupResult> {
  return new Promise((resolve, reject) => {
    let result: GroupResult | undefined;
    // --expose-gc: timed runs start from a collected heap
    const child = fork(GROUP_ENTRY, [name], { execArgv: ['--expose-gc'] });
    child.on('message', (message) => (result = message as GroupResult));
    child.on('error', reject);
    child.on('exit', (code) => (result === undefined ? reject(new Error(`bench group "${name}" exited with ${code}`)) : resolve(result)));
  });
}

/** Per figure, the run with the median value, its detail extended with the range seen. */
function medianAcrossProcesses(runs: Figure[][]): Figure[] {
  if (runs.length === 1) return runs[0];
  return runs[0].map((_, index) => {
    const sorted = runs.map((figures) => figures[index]).sort((a, b) => a.value - b.value);
    const middle = sorted[sorted.length >> 1];
    const range = `${formatNumber(sorted[0].value)}–${formatNumber(sorted[sorted.length - 1].value)}`;
    return { ...middle, detail: `${middle.detail}; median of ${runs.length} processes, range ${range}` };
  });
}

const machine = describeMachine(machineInfo());
console.log(`machine: ${machine}\n`);
console.log(TABLE_HEADER.join('\n'));

const figures: Figure[] = [];
/** Groups that failed, with why: one failing group is reported, and the others still run. */
const failedGroups: string[] = [];
const started = Date.now();
const sinks: number[] = [];
// `npm run bench -- resources gateway` runs only those groups and leaves RESULTS.md alone.
const onlyGroups = process.argv.slice(2);
for (const [name, processes] of GROUPS) {
  if (onlyGroups.length > 0 && !onlyGroups.includes(name)) continue;
  const results: GroupResult[] = [];
  try {
    for (let i = 0; i < processes; i++) results.push(await runGroup(name));
  } catch (error) {
    failedGroups.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    console.log(`GROUP FAILED: ${failedGroups.at(-1)}`);
    continue;
  }
  sinks.push(...results.map((result) => result.sink));
  for (const figure of medianAcrossProcesses(results.map((result) => result.figures))) {
    figures.push(figure);
    console.log(formatFigure(figure));
  }
}

const checked = figures.filter((figure) => passes(figure) !== undefined);
const failed = checked.filter((figure) => passes(figure) === false);
const summary = `${checked.length - failed.length} passed, ${failed.length} failed${failedGroups.length > 0 ? `, ${failedGroups.length} group(s) did not run to the end` : ''}`;
console.log(`\nbench: ${summary} (${((Date.now() - started) / 1000).toFixed(0)} s; sinks ${sinks.join(' ')})`);
for (const figure of failed) console.log(`FAIL: ${figure.name}`);

if (onlyGroups.length === 0) writeFileSync(
  RESULTS_FILE,
  [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts). Each figure group runs in fresh processes; a ratio is',
    'subject / baseline measured in the same process. Call figures: medians of alternating baseline/subject',
    'samples (`PairOptions` in bench/registry-call.bench.ts), then the median across the processes, whose',
    'range is shown. Boot figures: medians of alternating runs, each on freshly generated classes.',
    '',
    'Notes: Moleculer always returns a promise, so its call is awaited; `ctx.call` of a synchronous method',
    'returns the value and is used as such. Awaiting both is shown for information: one `await` costs about',
    'as much as a whole `ctx.call` (and more once AsyncLocalStorage is in use), so no awaited call can be',
    '10× faster than Moleculer here (see the ceiling row). The boot plugins inject no context: a plugin',
    'that does (`@InjectPluginContext()`) adds one factory provider, about 40 µs of Nest time each.',
    'Since every entry into plugin code acts as that plugin (docs/security.md), `registry.call` and handle',
    'calls run the callee inside one AsyncLocalStorage.run, like `ctx.call`: their floor is that run, and',
    'the plain comparisons are kept as information rows. An in-process topic delivery pays the same run',
    '(about 10 ns), which its figure against a plain emit shows.',
    '',
    `Machine: ${machine}`,
    '',
    ...TABLE_HEADER,
    ...figures.map(formatFigure),
    '',
    `Summary: ${summary}.`,
    ...failedGroups.map((failure) => `Group failed: ${failure}`),
    '',
  ].join('\n'),
);
if (onlyGroups.length === 0) console.log(`\nwrote ${RESULTS_FILE}`);
