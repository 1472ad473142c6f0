import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import {
  CircularDependencyError,
  DuplicatePluginError,
  InvalidPluginMetadataError,
  MissingDependencyError,
  Plugin,
  PluginInitError,
  PluginModule,
  PluginResolutionError,
  PluginRegistry,
  VersionMismatchError,
} from 'nestjs-plugins';
import { bootApp, HookJournal } from './support/boot-app.js';

/** A plugin class that records its Nest and plugin hooks in `journal`. */
function journaledPlugin(journal: HookJournal, metadata: Parameters<typeof Plugin>[0], onInit?: () => unknown) {
  class JournaledPlugin {
    onModuleInit() {
      journal.record(`onModuleInit:${metadata.name}`);
    }
    async onPluginInit() {
      journal.record(`onPluginInit:${metadata.name}`);
      await onInit?.();
    }
    onPluginDestroy() {
      journal.record(`onPluginDestroy:${metadata.name}`);
    }
  }
  Object.defineProperty(JournaledPlugin, 'name', { value: `${metadata.name}Plugin` });
  Plugin(metadata)(JournaledPlugin);
  return JournaledPlugin;
}

async function bootFailure(plugins: Function[]): Promise<unknown> {
  let app: INestApplication | undefined;
  try {
    app = await bootApp([PluginModule.forRoot({ plugins: plugins as never[] })]);
  } catch (error) {
    return error;
  } finally {
    await app?.close();
  }
  throw new Error('boot succeeded');
}

describe('boot failures leave nothing started', () => {
  let journal: HookJournal;
  beforeEach(() => (journal = new HookJournal()));

  it('rejects a bad name, naming the class and the field', async () => {
    const error = await bootFailure([journaledPlugin(journal, { name: 'Bad Name', version: '1.0.0' })]);
    expect(error).toBeInstanceOf(InvalidPluginMetadataError);
    expect((error as Error).message).toBe(
      'Invalid metadata for plugin class "Bad NamePlugin": name must be kebab-case matching /^[a-z][a-z0-9-]*$/ (got "Bad Name")',
    );
    expect(journal.entries).toEqual([]);
  });

  it('rejects a bad semver with the exact SPEC message, before any hook', async () => {
    const good = journaledPlugin(journal, { name: 'good', version: '1.0.0' });
    const error = await bootFailure([good, journaledPlugin(journal, { name: 'user-utils', version: '1.x' })]);
    expect((error as Error).message).toBe('Invalid metadata for plugin "user-utils": version must be a valid semver (got "1.x")');
    expect(journal.entries).toEqual([]);
  });

  it('rejects two classes registered under one name', async () => {
    const error = await bootFailure([
      journaledPlugin(journal, { name: 'twin', version: '1.0.0' }),
      journaledPlugin(journal, { name: 'twin', version: '2.0.0' }),
    ]);
    expect(error).toBeInstanceOf(DuplicatePluginError);
    expect((error as Error).message).toBe('Plugin "twin" is registered twice: by class twinPlugin and by class twinPlugin');
    expect(journal.entries).toEqual([]);
  });

  it('reports a missing dependency, a mismatch and a cycle together, with no hook run', async () => {
    const error = await bootFailure([
      journaledPlugin(journal, { name: 'reports', version: '1.0.0', dependencies: [{ name: 'inventory', version: '^1.0.0' }] }),
      journaledPlugin(journal, { name: 'plugin-crm', version: '1.5.0' }),
      journaledPlugin(journal, { name: 'plugin-analytics', version: '1.0.0', dependencies: [{ name: 'plugin-crm', version: '^2.0.0' }] }),
      journaledPlugin(journal, { name: 'plugin-a', version: '1.0.0', dependencies: ['plugin-b'] }),
      journaledPlugin(journal, { name: 'plugin-b', version: '1.0.0', dependencies: ['plugin-a'] }),
    ]);
    expect(error).toBeInstanceOf(PluginResolutionError);
    const errors = (error as PluginResolutionError).errors;
    expect(errors.map((e) => e.constructor)).toEqual([MissingDependencyError, VersionMismatchError, CircularDependencyError]);
    expect(errors.map((e) => e.message)).toEqual([
      'Plugin "reports" requires "inventory" (^1.0.0), which is not installed',
      'Version mismatch: plugin-crm@1.5.0 does not satisfy ^2.0.0 (required by plugin-analytics)',
      'Circular dependency detected: plugin-a -> plugin-b -> plugin-a',
    ]);
    expect(journal.entries).toEqual([]);
  });

  it('rejects a self-dependency', async () => {
    const error = await bootFailure([journaledPlugin(journal, { name: 'plugin-a', version: '1.0.0', dependencies: ['plugin-a'] })]);
    expect((error as PluginResolutionError).errors.map((e) => e.message)).toEqual(['Circular dependency detected: plugin-a -> plugin-a']);
    expect(journal.entries).toEqual([]);
  });

  it('stops plugins already started, in reverse, when one fails in onPluginInit', async () => {
    const cause = new Error('database unreachable');
    const error = await bootFailure([
      journaledPlugin(journal, { name: 'first', version: '1.0.0' }),
      journaledPlugin(journal, { name: 'second', version: '1.0.0', dependencies: ['first'] }),
      journaledPlugin(journal, { name: 'broken', version: '1.0.0', dependencies: ['second'] }, () => {
        throw cause;
      }),
    ]);
    expect(error).toBeInstanceOf(PluginInitError);
    expect((error as Error).message).toBe('Plugin "broken" failed in onPluginInit: database unreachable');
    expect((error as Error).cause).toBe(cause);
    expect(journal.of('onPluginInit')).toEqual(['first', 'second', 'broken']);
    expect(journal.of('onPluginDestroy')).toEqual(['second', 'first']);
  });

  it('keeps failed state visible on the registry', async () => {
    let registry: PluginRegistry;
    const probe = journaledPlugin(journal, { name: 'probe', version: '1.0.0' });
    const broken = journaledPlugin(journal, { name: 'broken', version: '1.0.0' }, () => {
      throw new Error('nope');
    });
    const { Test } = await import('@nestjs/testing');
    const moduleRef = await Test.createTestingModule({ imports: [PluginModule.forRoot({ plugins: [probe, broken] })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    registry = app.get(PluginRegistry);
    await expect(app.init()).rejects.toThrow('Plugin "broken" failed in onPluginInit: nope');
    expect(registry.list().map(({ name, state }) => [name, state])).toEqual([
      ['probe', 'inactive'],
      ['broken', 'failed'],
    ]);
    await app.close();
  });
});
