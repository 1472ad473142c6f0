import { runBootBench } from './boot.bench.js';
import { runClusterStateBench } from './cluster-state.bench.js';
import { runDurableTopicsBench } from './durable-topics.bench.js';
import { runCallGuardsBench } from './call-guards.bench.js';
import { runGatewayBench } from './gateway.bench.js';
import { runImportWeightBench } from './import-weight.bench.js';
import { runInstallBench } from './install.bench.js';
import { runIsolationBench } from './isolation.bench.js';
import { runMigrationsBench } from './migrations.bench.js';
import { runMetricsBench } from './metrics.bench.js';
import { runPackageSizeBench } from './package-size.bench.js';
import { runSandboxBench } from './sandbox.bench.js';
import { runSharedDataBench } from './shared-data.bench.js';
import { sinkValue, type Figure } from './harness.js';
import { runRegistryCallBench } from './registry-call.bench.js';
import { runResolveBench } from './resolve.bench.js';
import { runResourcesBench } from './resources.bench.js';
import { runRuntimeBench } from './runtime.bench.js';
import { runTracingBench } from './tracing.bench.js';

/**
 * Runs one figure group and sends its figures to the parent (bench/run.ts). Each group
 * gets its own process: the call bench turns AsyncLocalStorage on, which installs
 * promise hooks for the rest of the process and would slow the boot bench's promises.
 */

/** What a group process sends back. */
export interface GroupResult {
  figures: Figure[];
  sink: number;
}

const GROUPS: Record<string, () => Figure[] | Promise<Figure[]>> = {
  'registry-call': runRegistryCallBench,
  resolve: runResolveBench,
  boot: runBootBench,
  runtime: runRuntimeBench,
  resources: runResourcesBench,
  'call-guards': runCallGuardsBench,
  'shared-data': runSharedDataBench,
  gateway: runGatewayBench,
  'import-weight': runImportWeightBench,
  isolation: runIsolationBench,
  sandbox: runSandboxBench,
  'cluster-state': runClusterStateBench,
  'durable-topics': runDurableTopicsBench,
  migrations: runMigrationsBench,
  metrics: runMetricsBench,
  package: runPackageSizeBench,
  tracing: runTracingBench,
  install: runInstallBench,
};

const group = process.argv[2];
if (process.send !== undefined && group !== undefined) {
  const run = GROUPS[group];
  if (run === undefined) throw new Error(`Unknown bench group "${group}"; known: ${Object.keys(GROUPS).join(', ')}`);
  const figures = await run();
  // The sink travels with the figures, so no measured loop's result is unused.
  process.send({ figures, sink: sinkValue() } satisfies GroupResult);
}
