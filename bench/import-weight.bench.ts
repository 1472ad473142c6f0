import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatNumber, median, type Figure } from './harness.js';

/**
 * What importing the library costs a cold process: each sample is a fresh `node` that imports
 * the Nest packages every host loads anyway, with or without the compiled library entry
 * (bench/.build/lib, compiled by `npm run bench`). Baseline and subject processes alternate, so
 * drift on the machine lands on both. Absolute targets: the figures are what the library adds.
 */

const SAMPLES_PER_SIDE = 7;
const TARGET_ADDED_MS = 150;
const TARGET_ADDED_MB = 5;
const HOST_PACKAGES = ['reflect-metadata', '@nestjs/common', '@nestjs/core', '@nestjs/event-emitter'];
const LIBRARY_ENTRY = new URL('../lib/index.js', import.meta.url).href;
// Run from the repository root, so the Nest packages resolve from its node_modules.
const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface ImportSample {
  ms: number;
  heapMB: number;
}

/** A module body that times the imports in order and reports the heap left after a full GC. */
function probeSource(specifiers: readonly string[]): string {
  return [
    'const start = performance.now();',
    ...specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`),
    'const ms = performance.now() - start;',
    'globalThis.gc();',
    'process.stdout.write(JSON.stringify({ ms, heapMB: process.memoryUsage().heapUsed / 2 ** 20 }));',
  ].join('\n');
}

function sample(specifiers: readonly string[]): ImportSample {
  const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '--eval', probeSource(specifiers)], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as ImportSample;
}

export function runImportWeightBench(): Figure[] {
  const host: ImportSample[] = [];
  const withLibrary: ImportSample[] = [];
  for (let i = 0; i < SAMPLES_PER_SIDE; i++) {
    const runHost = () => host.push(sample(HOST_PACKAGES));
    const runLibrary = () => withLibrary.push(sample([...HOST_PACKAGES, LIBRARY_ENTRY]));
    if (i % 2 === 0) {
      runHost();
      runLibrary();
    } else {
      runLibrary();
      runHost();
    }
  }
  const hostMs = median(host.map((s) => s.ms));
  const libraryMs = median(withLibrary.map((s) => s.ms));
  const hostMB = median(host.map((s) => s.heapMB));
  const libraryMB = median(withLibrary.map((s) => s.heapMB));
  const medians = `medians of ${SAMPLES_PER_SIDE} fresh processes each`;
  return [
    {
      name: 'importing the library entry: time added over @nestjs/core + common + event-emitter (absolute)',
      detail: `${formatNumber(libraryMs)} ms vs ${formatNumber(hostMs)} ms; ${medians}`,
      value: libraryMs - hostMs,
      unit: 'ms',
      target: { comparison: '≤', limit: TARGET_ADDED_MS },
    },
    {
      name: 'importing the library entry: heap added after a full GC (absolute)',
      detail: `${formatNumber(libraryMB)} MB vs ${formatNumber(hostMB)} MB; ${medians}`,
      value: libraryMB - hostMB,
      unit: 'MB',
      target: { comparison: '≤', limit: TARGET_ADDED_MB },
    },
  ];
}
