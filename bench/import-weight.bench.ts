import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatNumber, median, type Figure } from './harness.js';

/**
 * What importing the library costs a cold process: each sample is a fresh `node` that first
 * imports the Nest packages every host loads anyway, then the compiled library entry
 * (bench/.build/lib, compiled by `npm run bench`), and measures the second step alone: its
 * time, and the heap it leaves after a full GC. Measuring both sides in one process keeps the
 * figure from drifting with the machine between processes. Absolute targets.
 */

const SAMPLES = 9;
const TARGET_ADDED_MS = 150;
const TARGET_ADDED_MB = 5;
const HOST_PACKAGES = ['reflect-metadata', '@nestjs/common', '@nestjs/core', '@nestjs/event-emitter'];
const LIBRARY_ENTRY = new URL('../lib/index.js', import.meta.url).href;
// Run from the repository root, so the Nest packages resolve from its node_modules.
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface ImportSample {
  hostMs: number;
  addedMs: number;
  hostMB: number;
  addedMB: number;
}

const heapMB = 'globalThis.gc(), process.memoryUsage().heapUsed / 2 ** 20';

/** A module body that times the host imports, then the library's, and reports the heap after each. */
function probeSource(): string {
  return [
    'const start = performance.now();',
    ...HOST_PACKAGES.map((specifier) => `await import(${JSON.stringify(specifier)});`),
    'const hostMs = performance.now() - start;',
    `const hostMB = (${heapMB});`,
    'const before = performance.now();',
    `await import(${JSON.stringify(LIBRARY_ENTRY)});`,
    'const addedMs = performance.now() - before;',
    `const addedMB = (${heapMB}) - hostMB;`,
    'process.stdout.write(JSON.stringify({ hostMs, addedMs, hostMB, addedMB }));',
  ].join('\n');
}

function sample(): ImportSample {
  const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '--eval', probeSource()], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as ImportSample;
}

export function runImportWeightBench(): Figure[] {
  const samples = Array.from({ length: SAMPLES }, sample);
  const hostMs = median(samples.map((s) => s.hostMs));
  const addedMs = median(samples.map((s) => s.addedMs));
  const hostMB = median(samples.map((s) => s.hostMB));
  const addedMB = median(samples.map((s) => s.addedMB));
  const medians = `medians of ${SAMPLES} fresh processes`;
  return [
    {
      name: 'importing the library entry: time added over @nestjs/core + common + event-emitter (absolute)',
      detail: `${formatNumber(addedMs)} ms after ${formatNumber(hostMs)} ms for the Nest packages; ${medians}`,
      value: addedMs,
      unit: 'ms',
      target: { comparison: '≤', limit: TARGET_ADDED_MS },
    },
    {
      name: 'importing the library entry: heap added after a full GC (absolute)',
      detail: `${formatNumber(addedMB)} MB over ${formatNumber(hostMB)} MB for the Nest packages; ${medians}`,
      value: addedMB,
      unit: 'MB',
      target: { comparison: '≤', limit: TARGET_ADDED_MB },
    },
  ];
}
