import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import {
  HostVersionMismatchError,
  MissingDependencyError,
  Plugin,
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginRegistry,
  PluginResolutionError,
} from 'nestjs-plugins';
import { bootApp, bootFailure, HookJournal } from '../support/boot-app.js';
import { stateSnapshot } from '../runtime/state-snapshot.js';

let journal: HookJournal;

function journaledPlugin(metadata: Parameters<typeof Plugin>[0]) {
  class JournaledPlugin {
    onModuleInit() {
      journal.record(`onModuleInit:${metadata.name}`);
    }
    onPluginInit() {
      journal.record(`onPluginInit:${metadata.name}`);
    }
  }
  Object.defineProperty(JournaledPlugin, 'name', { value: `${metadata.name}Plugin` });
  Plugin(metadata)(JournaledPlugin);
  return JournaledPlugin;
}

beforeEach(() => {
  journal = new HookJournal();
});

describe('host compatibility at boot', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('starts a plugin whose hostRange the host version satisfies', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '^1.2.0' })], hostVersion: '1.4.0' })]);
    expect(app.get(PluginRegistry).isActive('billing')).toBe(true);
  });

  it('reports a mismatch with the other resolution errors, starting nothing', async () => {
    const error = await bootFailure({
      plugins: [
        journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '^1.2.0' }),
        journaledPlugin({ name: 'reports', version: '1.0.0', dependencies: ['inventory'] }),
        journaledPlugin({ name: 'audit', version: '1.0.0', hostRange: '1.x' }),
      ],
      hostVersion: '1.0.0',
    });
    expect(error).toBeInstanceOf(PluginResolutionError);
    const { errors } = error as PluginResolutionError;
    expect(errors.map((problem) => problem.constructor)).toEqual([HostVersionMismatchError, MissingDependencyError]);
    expect(errors[0].message).toBe('Plugin "billing" requires host ^1.2.0, but the host is 1.0.0');
    expect(journal.entries).toEqual([]);
  });

  it('isolates the plugin and its dependents under onError: isolate', async () => {
    app = await bootApp([
      PluginModule.forRoot({
        plugins: [
          journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '>=3.x' }),
          journaledPlugin({ name: 'invoices', version: '1.0.0', dependencies: ['billing'] }),
          journaledPlugin({ name: 'audit', version: '1.0.0' }),
        ],
        hostVersion: '4.0.0-beta', // npm's rule: a prerelease does not satisfy >=3.x
        onError: 'isolate',
      }),
    ]);
    const states = app.get(PluginRegistry).list().map(({ name, state }) => `${name}:${state}`);
    expect(states).toEqual(['billing:failed', 'invoices:failed', 'audit:active']);
    expect(journal.of('onPluginInit')).toEqual(['audit']);
  });

  it('checks nothing without a host version, warning for each plugin that declares a range', async () => {
    const warnings: string[] = [];
    const original = Logger.prototype.warn;
    Logger.prototype.warn = (message: unknown) => void warnings.push(String(message));
    try {
      app = await bootApp([PluginModule.forRoot({ plugins: [journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '^9.0.0' })] })]);
    } finally {
      Logger.prototype.warn = original;
    }
    expect(app.get(PluginRegistry).isActive('billing')).toBe(true);
    expect(warnings).toEqual(['Plugin "billing" requires host ^9.0.0, but no hostVersion is set: the range is not checked']);
  });

  it('fails boot on a host version that is not semver', async () => {
    const error = await bootFailure({ plugins: [journaledPlugin({ name: 'audit', version: '1.0.0' })], hostVersion: 'v-next' });
    expect(error).toEqual(new TypeError('hostVersion must be a valid semver version (got "v-next")'));
    expect(journal.entries).toEqual([]);
  });

  it('fails boot on a hostRange that is not a semver range (invalid metadata)', async () => {
    const error = await bootFailure({ plugins: [journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: 'latest' })], hostVersion: '1.0.0' });
    expect((error as Error).message).toBe('Invalid metadata for plugin "billing": hostRange must be a valid semver range (got "latest")');
  });
});

describe('host compatibility at runtime load', () => {
  let app: INestApplication;
  beforeEach(async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [journaledPlugin({ name: 'audit', version: '1.0.0' })], hostVersion: '1.4.0' })]);
  });
  afterEach(() => app.close());

  it('loads a plugin whose range the host satisfies', async () => {
    await app.get(PluginManager).load(journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '~1.4.0' }));
    expect(app.get(PluginRegistry).isActive('billing')).toBe(true);
  });

  it('rejects a mismatch with PluginLoadError, the resolution error as cause, and leaves the registry as it was', async () => {
    const before = stateSnapshot(app);
    const failure = await app
      .get(PluginManager)
      .load(journaledPlugin({ name: 'billing', version: '1.0.0', hostRange: '>=2.0.0' }))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PluginLoadError);
    expect((failure as Error).message).toBe(
      'Cannot load plugin from class billingPlugin: Plugin dependency resolution failed: Plugin "billing" requires host >=2.0.0, but the host is 1.4.0',
    );
    const cause = (failure as PluginLoadError).cause as PluginResolutionError;
    expect(cause).toBeInstanceOf(PluginResolutionError);
    expect(cause.errors[0]).toBeInstanceOf(HostVersionMismatchError);
    expect(stateSnapshot(app)).toEqual(before);
    expect(journal.of('onPluginInit')).toEqual(['audit']);
  });
});
