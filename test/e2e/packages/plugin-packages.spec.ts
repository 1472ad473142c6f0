import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { PluginLoadError, PluginManager, PluginModule, PluginRegistry } from 'nestjs-plugins';
import { PluginPackages } from '../../../lib/host/plugin-packages.js';
import { stateSnapshot } from '../runtime/state-snapshot.js';
import { bootApp } from '../support/boot-app.js';
import { AppRoot, pluginEntry } from './app-root.js';

const BILLING = '@acme/nest-plugin-billing';
const billingEntry = (answer = 'invoice') => pluginEntry('billing', { body: `invoice(amount) { return \`${answer}: \${amount}\`; }` });

describe('plugins from npm packages', () => {
  let root: AppRoot;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    root = await AppRoot.create();
    await root.install(BILLING, { version: '1.0.0', exports: { '.': { import: './index.js' } } }, { 'index.js': billingEntry() });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await root.remove();
  });

  /** An app resolving packages from the temporary root, with `packages` loaded at boot. */
  async function boot(packages: string[] = []): Promise<INestApplication> {
    app = await bootApp([PluginModule.forRoot({ packages, packagesRoot: root.directory })]);
    return app;
  }

  describe('at boot: forRoot({ packages })', () => {
    it("registers and starts the package's default-exported plugin", async () => {
      const registry = (await boot([BILLING])).get(PluginRegistry);
      expect(registry.list().map(({ name, state }) => `${name}:${state}`)).toEqual(['billing:active']);
      expect(await registry.call('billing', 'invoice', 12)).toBe('invoice: 12');
    });

    it('takes packages beside useFactory in forRootAsync', async () => {
      app = await bootApp([PluginModule.forRootAsync({ packages: [BILLING], packagesRoot: root.directory, useFactory: () => ({ drainTimeoutMs: 100 }) })]);
      expect(await app.get(PluginRegistry).call('billing', 'invoice', 3)).toBe('invoice: 3');
    });

    it('fails boot naming a package that is not installed', async () => {
      const boot = bootApp([PluginModule.forRoot({ packages: [BILLING, '@acme/absent'], packagesRoot: root.directory })]);
      await expect(boot).rejects.toThrow(
        new PluginLoadError('package "@acme/absent"', "it is not installed in the application (npm install @acme/absent, or set packagesRoot to the application's directory)"),
      );
    });

    it('fails boot on an entry that is not a package name', async () => {
      const boot = bootApp([PluginModule.forRoot({ packages: ['./billing.js'], packagesRoot: root.directory })]);
      await expect(boot).rejects.toThrow('Cannot load plugin from package "./billing.js": it is not a package name (load files with pluginsDir or a path)');
    });

    it('reloads a booted package plugin from the entry now installed', async () => {
      const registry = (await boot([BILLING])).get(PluginRegistry);
      // An upgrade that moved the entry: reload resolves the package again.
      await root.install(BILLING, { version: '1.1.0', exports: { '.': { import: './dist/index.js' } } }, { 'dist/index.js': billingEntry('upgraded') });
      await app!.get(PluginManager).reload('billing');
      expect(await registry.call('billing', 'invoice', 5)).toBe('upgraded: 5');
    });
  });

  describe('at runtime: PluginManager.load(<package name>)', () => {
    it('loads and starts the package by name', async () => {
      const manager = (await boot()).get(PluginManager);
      expect(await manager.load(BILLING)).toMatchObject({ name: 'billing', version: '1.0.0', state: 'active' });
      expect(await app!.get(PluginRegistry).call('billing', 'invoice', 7)).toBe('invoice: 7');
    });

    it('reloads a package plugin by evaluating its entry again', async () => {
      const evaluations = globalThis as { billingEvaluations?: number };
      evaluations.billingEvaluations = 0;
      await root.write(BILLING, 'index.js', `globalThis.billingEvaluations++;\n${billingEntry()}`);
      const manager = (await boot()).get(PluginManager);
      await manager.load(BILLING);
      await manager.reload('billing');
      expect(evaluations.billingEvaluations).toBe(2);
      expect(await app!.get(PluginRegistry).call('billing', 'invoice', 1)).toBe('invoice: 1');
    });

    it('still takes a path as a file', async () => {
      const manager = (await boot()).get(PluginManager);
      expect(await manager.load(`${root.directory}/node_modules/${BILLING}/index.js`)).toMatchObject({ name: 'billing' });
    });

    it.each([
      ['not installed', '@acme/absent', "it is not installed in the application (npm install @acme/absent, or set packagesRoot to the application's directory)"],
      ['whose default export is not a @Plugin class', '@acme/not-a-plugin', 'its default export is not a class decorated with @Plugin()'],
      ['whose exports have no entry for import', '@acme/require-only', 'its package.json "exports" has no entry for import'],
      ['whose entry is missing', '@acme/unbuilt', 'its entry "./dist/index.js" is missing (is the package built?)'],
    ])('refuses a package %s, naming it, and leaves the registry as it was', async (_case, name, reason) => {
      await root.install('@acme/not-a-plugin', {}, { 'index.js': 'export default class NotAPlugin {}' });
      await root.install('@acme/require-only', { exports: { require: './index.cjs' } }, { 'index.cjs': '' });
      await root.install('@acme/unbuilt', { exports: './dist/index.js' }, {});
      const manager = (await boot([BILLING])).get(PluginManager);
      const before = stateSnapshot(app!);
      const failure = manager.load(name);
      await expect(failure).rejects.toThrow(new PluginLoadError(`package "${name}"`, reason));
      await expect(failure).rejects.not.toThrow(root.directory);
      expect(stateSnapshot(app!)).toEqual(before);
    });

    it('shows paths inside a package that fails to import as the package', async () => {
      await root.install('@acme/broken', {}, { 'index.js': 'throw new Error(`no licence key in ${import.meta.url}`);' });
      const manager = (await boot()).get(PluginManager);
      const { message } = await manager.load('@acme/broken').then(
        () => Promise.reject(new Error('it loaded')),
        (error: PluginLoadError) => error,
      );
      expect(message).toBe('Cannot load plugin from package "@acme/broken": import failed: no licence key in @acme/broken/index.js');
    });
  });

  describe('resolution', () => {
    it("follows the package's exports: the import condition, not require or main", async () => {
      const wrong = 'export default class Wrong {}';
      await root.install('@acme/conditional', { main: './wrong.js', exports: { '.': [{ require: './wrong.js', import: { node: './esm/index.js' } }], './package.json': './package.json' } }, {
        'wrong.js': wrong,
        'esm/index.js': pluginEntry('conditional'),
      });
      expect(await (await boot()).get(PluginManager).load('@acme/conditional')).toMatchObject({ name: 'conditional' });
    });

    it('takes main, then index.js, when there are no exports', async () => {
      await root.install('with-main', { main: 'lib/plugin' }, { 'lib/plugin.js': pluginEntry('with-main') });
      await root.install('plain', {}, { 'index.js': pluginEntry('plain') });
      const manager = (await boot()).get(PluginManager);
      expect(await manager.load('with-main')).toMatchObject({ name: 'with-main' });
      expect(await manager.load('plain')).toMatchObject({ name: 'plain' });
    });

    it('resolves a package linked into node_modules, as npm installs a file: dependency', async () => {
      await root.link('@acme/linked', { exports: './index.js' }, { 'index.js': pluginEntry('linked') });
      expect(await (await boot()).get(PluginManager).load('@acme/linked')).toMatchObject({ name: 'linked' });
    });

    it("resolves from the application's directory, by default the working directory", () => {
      expect(new PluginPackages().root).toBe(process.cwd());
    });
  });
});
