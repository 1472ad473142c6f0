import 'reflect-metadata';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { waitUntil, type CompiledLibrary } from '../isolation/support/isolation-harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { installHost, treeOf } from './support/install-host.js';
import { pluginPackage } from './support/plugin-packages.js';
import { openRegistryWorkspace, type RegistryWorkspace } from './support/registry-workspace.js';
import type { Verdaccio } from './support/verdaccio.js';

describe('installs across three instances (cluster mode, one SQLite store)', () => {
  let lib: CompiledLibrary;
  let registry: Verdaccio;
  let database: TestDatabase;
  let folder: string;
  let canary: string;
  const apps: INestApplicationContext[] = [];

  let workspace: RegistryWorkspace | undefined;

  beforeAll(async () => {
    workspace = await openRegistryWorkspace('install-cluster-');
    ({ lib, registry, folder, canary } = workspace);
    database = await createTestDatabase('sqlite');
    await workspace.publish(pluginPackage({ version: '1.1.0', canary }));
  }, 180_000);

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
    await workspace?.close();
  });

  const instance = async (nodeId: string): Promise<any> => {
    const app = await installHost(lib, {
      registry: { url: registry.url, allowUnsigned: true },
      installDir: join(folder, nodeId),
      cluster: { nodeId, pollIntervalMs: 600_000, heartbeatIntervalMs: 200 },
      database: database.connection,
    });
    apps.push(app);
    return app.get(lib.PluginManager);
  };
  const call = (index: number, method: string): Promise<any> => Promise.resolve((apps[index].get(lib.PluginRegistry) as any).call('acme-x', method));

  it('an install through A runs on B and C from the same tarball; a later publish is not picked up until an install says so', async () => {
    const [a, b, c] = [await instance('A'), await instance('B'), await instance('C')];
    const installed = await a.install('@acme/x@^1');
    await b.reconcile();
    await c.reconcile();
    for (const index of [1, 2]) await expect(call(index, 'whereAmI')).resolves.toMatchObject({ version: '1.1.0' });
    const reported = async () => (await a.nodes()).map((node: any) => [node.nodeId, node.plugins.map((plugin: any) => [plugin.name, plugin.version, plugin.integrity])]).sort();
    // Each instance reports with its heartbeat.
    await waitUntil(async () => (await reported()).every(([, plugins]: [string, unknown[]]) => plugins.length === 1), 'every instance to report the plugin');
    expect(await reported()).toEqual([
      ['A', [['acme-x', '1.1.0', installed.origin.integrity]]],
      ['B', [['acme-x', '1.1.0', installed.origin.integrity]]],
      ['C', [['acme-x', '1.1.0', installed.origin.integrity]]],
    ]);
    expect(await treeOf(join(folder, 'B'))).toContain('@acme/x/1.1.0/index.js');

    // 1.1.1 appears in the registry: B and C keep the pinned 1.1.0 ...
    const next = await pluginPackage({ version: '1.1.1', canary });
    await registry.publish(next.manifest, next.tarball);
    await b.reconcile();
    await c.reconcile();
    await expect(call(1, 'whereAmI')).resolves.toMatchObject({ version: '1.1.0' });
    // ... until an install through A takes it; then they follow, and the old files go.
    const upgraded = await a.install('@acme/x@^1');
    expect(upgraded.version).toBe('1.1.1');
    await b.reconcile();
    await c.reconcile();
    for (const index of [1, 2]) await expect(call(index, 'whereAmI')).resolves.toMatchObject({ version: '1.1.1' });
    expect((await treeOf(join(folder, 'C'))).filter((path) => path.startsWith('@acme/x/1.1.0'))).toEqual([]);

    await a.uninstall('acme-x');
    await b.reconcile();
    await c.reconcile();
    expect(b.localPlugins()).toEqual([]);
    expect((await treeOf(join(folder, 'C'))).filter((path) => path.startsWith('@acme'))).toEqual([]);
  }, 240_000);
});
