import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { CompiledLibrary } from '../isolation/support/isolation-harness.js';
import { canaryLines, installHost, treeOf } from './support/install-host.js';
import { pluginPackage } from './support/plugin-packages.js';
import { startSigningProxy, type SigningMode, type SigningProxy } from './support/signing-proxy.js';
import { openRegistryWorkspace, type RegistryWorkspace } from './support/registry-workspace.js';
import type { Verdaccio } from './support/verdaccio.js';

describe('PluginManager.install verifies before any code runs', () => {
  let lib: CompiledLibrary;
  let registry: Verdaccio;
  let signing: SigningProxy;
  let folder: string;
  let canary: string;
  let installDir: string;
  const apps: INestApplicationContext[] = [];

  let workspace: RegistryWorkspace | undefined;

  beforeAll(async () => {
    workspace = await openRegistryWorkspace('verify-');
    ({ lib, registry, folder, canary } = workspace);
    signing = await startSigningProxy(registry.url);
    const publish = (options: Parameters<typeof pluginPackage>[0]) => workspace!.publish(pluginPackage(options));
    await publish({ version: '1.1.0', canary });
    await publish({ name: '@acme/twin', version: '1.1.0', canary });
    await publish({ name: '@acme/dotdot', version: '1.0.0', canary, extraEntries: [{ path: 'package/../../escaped-dotdot.js', body: 'x' }] });
    await publish({ name: '@acme/absolute', version: '1.0.0', canary, extraEntries: [{ path: join(folder, 'escaped-absolute.js'), body: 'x' }] });
    await publish({ name: '@acme/symlink', version: '1.0.0', canary, extraEntries: [{ path: 'package/escape', type: 'SymbolicLink', linkpath: '../../../../../etc' }] });
    await publish({ name: '@acme/huge', version: '1.0.0', canary, extraEntries: [{ path: 'package/huge.bin', zeros: 200 * 1024 * 1024 }] });
  }, 180_000);

  beforeEach(async () => {
    installDir = await mkdtemp(join(folder, 'installed-'));
    signing.mode = 'valid';
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  afterAll(async () => {
    await signing?.stop();
    await workspace?.close();
  });

  async function host(registryOptions: Record<string, unknown>): Promise<INestApplicationContext> {
    const app = await installHost(lib, { registry: { url: signing.url, ...registryOptions }, installDir });
    apps.push(app);
    return app;
  }

  const manager = (app: INestApplicationContext): any => app.get(lib.PluginManager);

  async function expectRefused(app: INestApplicationContext, spec: string, reason: string): Promise<Error> {
    const before = await treeOf(installDir);
    const refusal = await manager(app).install(spec).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(lib.PluginInstallError);
    expect(refusal).toMatchObject({ reason });
    expect(await treeOf(installDir)).toEqual(before);
    expect(manager(app).localPlugins()).toEqual([]);
    expect(canaryLines(canary)).toEqual([]);
    return refusal;
  }

  it('a valid registry signature with a trusted key: installed, its key id recorded', async () => {
    const app = await host({ keys: [signing.key] });
    const installed = await manager(app).install('@acme/x@^1');
    expect(installed.origin).toMatchObject({ package: '@acme/x', version: '1.1.0', keyid: signing.key.keyid });
    await manager(app).uninstall('acme-x');
  }, 120_000);

  it('refuses another tarball under the version that runs (a registry that republished it), the running one untouched', async () => {
    const app = await host({ keys: [signing.key] });
    const installed = await manager(app).install('@acme/x@1.1.0');
    const files = await treeOf(installDir);
    signing.mode = 'republished';
    const refusal = await manager(app).install('@acme/x@1.1.0').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'INTEGRITY_MISMATCH', message: `Cannot install "@acme/x@1.1.0": the registry now gives another tarball for this version than the one running (${installed.origin.integrity}) (INTEGRITY_MISMATCH)` });
    expect(await treeOf(installDir)).toEqual(files);
    expect(manager(app).localPlugins()).toEqual([expect.objectContaining({ name: 'acme-x', state: 'active', integrity: installed.origin.integrity })]);
    await manager(app).uninstall('acme-x');
  }, 120_000);

  it.each<[string, SigningMode, Record<string, unknown>, string]>([
    ['a signature by another key under the trusted key id', 'wrong-key', {}, 'SIGNATURE_INVALID'],
    ['a signature by a key not in keys', 'unknown-keyid', {}, 'SIGNATURE_INVALID'],
    ['a signature over another integrity', 'other-integrity', {}, 'SIGNATURE_INVALID'],
    ['an invalid signature, even with allowUnsigned', 'wrong-key', { allowUnsigned: true }, 'SIGNATURE_INVALID'],
    ['a missing signature', 'missing', {}, 'SIGNATURE_MISSING'],
    ['a changed byte in the tarball', 'tampered-tarball', {}, 'INTEGRITY_MISMATCH'],
  ])('refuses %s, nothing on disk', async (_what, mode, options, reason) => {
    signing.mode = mode;
    const app = await host({ keys: [signing.key], ...options });
    await expectRefused(app, '@acme/x@^1', reason);
  }, 120_000);

  it("refuses the test registry's signature under the default keys (the public registry's, pinned)", async () => {
    const app = await host({});
    const refusal = await expectRefused(app, '@acme/x@^1', 'SIGNATURE_INVALID');
    expect(refusal.message).toBe(
      'Cannot install "@acme/x@^1": @acme/x@1.1.0 has a registry signature with keyid: SHA256:test-registry-key but no corresponding public key can be found (SIGNATURE_INVALID)',
    );
  }, 120_000);

  it.each([
    ['an entry climbing out with ../', '@acme/dotdot@1', 'its entry "package/../../escaped-dotdot.js" climbs out of the package'],
    ['an entry with an absolute path', '@acme/absolute@1', 'has an absolute path'],
    ['a symlink out of the package', '@acme/symlink@1', 'its entry "package/escape" links out of the package (to "../../../../../etc")'],
    ['a tarball that unpacks to 200 MB', '@acme/huge@1', `it unpacks to more than ${50 * 1024 * 1024} bytes`],
  ])('refuses %s before unpacking: nothing written anywhere', async (_what, spec, detail) => {
    const app = await host({ keys: [signing.key] });
    const refusal = await expectRefused(app, spec, 'UNSAFE_TARBALL');
    expect(refusal.message).toContain(detail);
    expect(existsSync(join(folder, 'escaped-absolute.js'))).toBe(false);
    expect((await treeOf(folder)).filter((path) => path.includes('escaped'))).toEqual([]);
  }, 120_000);
});
