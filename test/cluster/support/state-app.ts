import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_DIST, request, startInstance, type ClusterInstance } from './cluster-harness.js';

/** The compiled state-app fixture's directory, where runtime plugin files are written (they import the compiled library). */
export const STATE_APP_DIST = join(CLUSTER_DIST, 'test', 'cluster', 'fixtures', 'state-app');
const RUNTIME_DIR = join(STATE_APP_DIST, 'runtime');

/** Starts one instance of the state-app fixture against `databaseUrl`. */
export function startStateApp(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ClusterInstance> {
  return startInstance({ entry: 'state-app/main.js', name, env: { APP_DB_URL: databaseUrl, ...env } });
}

/**
 * Writes a runtime plugin file (plain ESM, decorators applied as calls) that serves
 * `GET /plugins/<name>/version` with `tag`; returns its path.
 */
export async function writeRuntimePlugin(name: string, options: { tag?: string; dependencies?: string[] } = {}): Promise<string> {
  await mkdir(RUNTIME_DIR, { recursive: true });
  const file = join(RUNTIME_DIR, `${name}.plugin.js`);
  await writeFile(
    file,
    `import { Plugin } from '../../../../../lib/index.js';
class RuntimePlugin {
  onPluginInit(ctx) {
    ctx.http.registerRoutes((router) => router.get('/version', (req, res) => res.json({ tag: ${JSON.stringify(options.tag ?? 'v1')} })));
  }
}
Plugin({ name: ${JSON.stringify(name)}, version: '1.0.0', dependencies: ${JSON.stringify(options.dependencies ?? [])} })(RuntimePlugin);
export default RuntimePlugin;
`,
  );
  return file;
}

/** The plugin's state on that instance, or undefined when it has none (or does not answer). */
export async function pluginState(instance: ClusterInstance, name: string): Promise<string | undefined> {
  const { status, body } = await request(`${instance.url}/cluster/plugins`, 'GET', undefined, {}, 2_000);
  if (status !== 200) return undefined;
  return (body as { name: string; state: string }[]).find((plugin) => plugin.name === name)?.state;
}

/** The q-th quantile (0..1) of the samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
