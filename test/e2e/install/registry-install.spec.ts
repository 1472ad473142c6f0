import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { bootApp } from '../support/boot-app.js';
import { compiledLibrary, type CompiledLibrary } from '../isolation/support/isolation-harness.js';
import { canaryLines, installHost, treeOf } from './support/install-host.js';
import { dependencyPackage, pluginPackage } from './support/plugin-packages.js';
import { openRegistryWorkspace, type RegistryWorkspace } from './support/registry-workspace.js';
import type { Verdaccio } from './support/verdaccio.js';

describe('PluginManager.install from a registry (Verdaccio)', () => {
  let lib: CompiledLibrary;
  let registry: Verdaccio;
  let folder: string;
  let canary: string;
  let installDir: string;
  const apps: INestApplicationContext[] = [];

  let workspace: RegistryWorkspace | undefined;

  beforeAll(async () => {
    workspace = await openRegistryWorkspace('install-');
    ({ lib, registry, folder, canary } = workspace);
    const publish = workspace.publish;
    await publish(dependencyPackage(canary));
    await publish(pluginPackage({ version: '1.0.0', canary }));
    await publish(pluginPackage({ version: '1.1.0', canary, dependencies: { '@acme/dep': '^1.0.0' } }));
    await publish(pluginPackage({ name: '@acme/plain', version: '1.0.0', canary, moduleText: 'export default class NotAPlugin {}\n' }));
    await publish(pluginPackage({ name: '@acme/future', plugin: 'acme-future', version: '1.0.0', canary, hostRange: '^2.0.0' }));
  }, 180_000);

  beforeEach(async () => {
    installDir = await mkdtemp(join(folder, 'installed-'));
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  afterAll(() => workspace?.close());

  async function host(registryOptions: Record<string, unknown> = { allowUnsigned: true }): Promise<INestApplicationContext> {
    const app = await installHost(lib, { registry: { url: registry.url, ...registryOptions }, installDir, hostVersion: '1.0.0' });
    apps.push(app);
    return app;
  }

  const manager = (app: INestApplicationContext): any => app.get(lib.PluginManager);
  const call = (app: INestApplicationContext, name: string, method: string): Promise<any> => Promise.resolve((app.get(lib.PluginRegistry) as any).call(name, method));

  it("install('@acme/x@^1') runs 1.1.0, with its dependency, in a process of its own; no install script ran, the host never imported it", async () => {
    const app = await host();
    const installed = await manager(app).install('@acme/x@^1');
    expect(installed).toMatchObject({ name: 'acme-x', version: '1.1.0', state: 'active' });
    expect(installed.origin).toEqual({ package: '@acme/x', version: '1.1.0', integrity: expect.stringMatching(/^sha512-/), registry: registry.url });
    const where = await call(app, 'acme-x', 'whereAmI');
    expect(where).toMatchObject({ version: '1.1.0', dep: 'dep 1.0.0' });
    expect(where.pid).not.toBe(process.pid);
    expect(canaryLines(canary).filter((line) => !line.startsWith('module '))).toEqual([]);
    expect(canaryLines(canary)).not.toContain(`module ${process.pid}`);
    expect(await treeOf(installDir)).toEqual(expect.arrayContaining(['@acme/x/1.1.0/index.js', '@acme/x/1.1.0/node_modules/@acme/dep/index.js']));
    expect((await treeOf(installDir)).filter((path) => path.startsWith('.staging-'))).toEqual([]);
    const [node] = await manager(app).nodes();
    expect(node.plugins).toEqual([expect.objectContaining({ name: 'acme-x', version: '1.1.0', integrity: installed.origin.integrity })]);

    await manager(app).uninstall('acme-x');
    expect((await treeOf(installDir)).filter((path) => path.startsWith('@acme'))).toEqual([]);
  }, 120_000);

  it('a restart installs the same tarballs again, from the ledger in the install folder; uninstall forgets them', async () => {
    const first = await host();
    const installed = await manager(first).install('@acme/x@^1');
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await host();
    expect(manager(second).localPlugins()).toEqual([expect.objectContaining({ name: 'acme-x', version: '1.1.0', state: 'active', integrity: installed.origin.integrity })]);
    await expect(call(second, 'acme-x', 'whereAmI')).resolves.toMatchObject({ version: '1.1.0' });
    await manager(second).uninstall('acme-x');
    await second.close();
    apps.splice(apps.indexOf(second), 1);
    const third = await host();
    expect(manager(third).localPlugins()).toEqual([]);
  }, 120_000);

  it('a newer version upgrades the running one, and the old version\'s files go', async () => {
    const app = await host();
    await manager(app).install('@acme/x@1.0.0');
    await expect(call(app, 'acme-x', 'whereAmI')).resolves.toMatchObject({ version: '1.0.0' });
    await expect(manager(app).install('@acme/x@^1')).resolves.toMatchObject({ version: '1.1.0' });
    await expect(call(app, 'acme-x', 'whereAmI')).resolves.toMatchObject({ version: '1.1.0' });
    expect(existsSync(join(installDir, '@acme', 'x', '1.0.0'))).toBe(false);
    // The same tarball again is nothing to do.
    await expect(manager(app).install('@acme/x@1.1.0')).resolves.toMatchObject({ version: '1.1.0', state: 'active' });
  }, 120_000);

  it.each([
    ['an unsigned package without allowUnsigned', {}, '@acme/x@^1', 'SIGNATURE_MISSING', 'Cannot install "@acme/x@1.1.0": the registry did not sign it (set registry.allowUnsigned for a registry that does not sign) (SIGNATURE_MISSING)'],
    ['a package without provenance when requireProvenance is set', { allowUnsigned: true, requireProvenance: true }, '@acme/x@^1', 'PROVENANCE_MISSING', 'Cannot install "@acme/x@1.1.0": it has no provenance attestation, and registry.requireProvenance is set (PROVENANCE_MISSING)'],
    ['a package without a @Plugin default export', { allowUnsigned: true }, '@acme/plain@1', 'NOT_A_PLUGIN', undefined],
    ['a plugin outside hostRange', { allowUnsigned: true }, '@acme/future@1', 'HOST_RANGE', 'Cannot install "@acme/future@1.0.0": plugin "acme-future" requires host ^2.0.0, but the host is 1.0.0 (HOST_RANGE)'],
    ['a version the registry does not have', { allowUnsigned: true }, '@acme/x@^7', 'FETCH_FAILED', undefined],
  ])('refuses %s, leaving the install folder as it was', async (_what, registryOptions, spec, reason, message) => {
    const app = await host(registryOptions);
    const before = await treeOf(installDir);
    const refusal = await manager(app).install(spec).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(lib.PluginInstallError);
    expect(refusal).toMatchObject({ code: 'PLUGIN_INSTALL_REFUSED', reason });
    if (message !== undefined) expect(refusal.message).toBe(message);
    expect(await treeOf(installDir)).toEqual(before);
    expect(manager(app).localPlugins()).toEqual([]);
    expect(canaryLines(canary)).not.toContain(`module ${process.pid}`);
  }, 120_000);

  it('over REST with the operator key: Install, origins, the console row, Uninstall; a refusal is a 422 with its reason', async () => {
    const { PluginGatewayModule } = (await import(compiledLibrary('subpaths/gateway.js'))) as typeof import('../../../lib/subpaths/gateway.js');
    const app = await bootApp([
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
      lib.PluginModule.forRoot({ registry: { url: registry.url, allowUnsigned: true }, installDir } as never),
      PluginGatewayModule.forRoot({ apiKey: 'operator-key', console: true }),
    ]);
    apps.push(app);
    const admin = (method: 'get' | 'post', path: string, key = 'operator-key') => request(app.getHttpServer())[method](`/api/plugin-gateway${path}`).set('X-API-Key', key);
    await admin('post', '/plugins/install', 'guess').send({ spec: '@acme/x@^1' }).expect(401);
    await admin('post', '/plugins/install').send({}).expect(400);
    const refused = await admin('post', '/plugins/install').send({ spec: '@acme/plain@1' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'PLUGIN_INSTALL_REFUSED', reason: 'NOT_A_PLUGIN' });
    const installed = await admin('post', '/plugins/install').send({ spec: '@acme/x@^1' }).expect(201);
    expect(installed.body).toMatchObject({ name: 'acme-x', version: '1.1.0', state: 'active', origin: { package: '@acme/x', version: '1.1.0' } });
    const origins = await admin('get', '/plugins/origins').expect(200);
    expect(origins.body).toEqual({ 'acme-x': installed.body.origin });
    const { body } = await admin('get', '/console/plugins').expect(200);
    expect(body.plugins.find((plugin: { name: string }) => plugin.name === 'acme-x').details).toMatchObject({ isolation: 'process', origin: installed.body.origin });
    await admin('post', '/plugins/acme-x/uninstall').expect(200, { uninstalled: 'acme-x' });
    expect((await treeOf(installDir)).filter((path) => path.startsWith('@acme'))).toEqual([]);
  }, 120_000);
});
