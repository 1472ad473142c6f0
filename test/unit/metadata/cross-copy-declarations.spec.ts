import { jest } from '@jest/globals';
import { PLUGIN_CONTEXT, PLUGIN_CONTEXTS } from '../../../lib/constants.js';
import { getOwnExposedMethods } from '../../../lib/decorators/expose.decorator.js';
import { injectsPluginContext } from '../../../lib/decorators/inject-plugin-context.decorator.js';
import { pluginRepositoryToken } from '../../../lib/decorators/inject-plugin-repository.decorator.js';
import { getOwnPluginEventListeners } from '../../../lib/decorators/on-plugin-event.decorator.js';
import { Plugin } from '../../../lib/decorators/plugin.decorator.js';
import { pluginExportProblem } from '../../../lib/host/plugin-export-problem.js';
import { getPluginMetadata, isPluginClass } from '../../../lib/metadata/plugin-metadata.accessor.js';
import { pluginModuleFileOf } from '../../../lib/metadata/plugin-module-file.js';

/**
 * A plugin package compiled against its own copy of the library: the copy is simulated by
 * evaluating the library's modules a second time, so its classes, WeakMaps and symbols are its own.
 */
type Library = typeof import('../../../lib/index.js') & typeof import('../../../lib/decorators/inject-plugin-repository.decorator.js');
type Constants = typeof import('../../../lib/constants.js');

async function secondCopy(): Promise<{ library: Library; constants: Constants }> {
  let copy: { library: Library; constants: Constants } | undefined;
  await jest.isolateModulesAsync(async () => {
    copy = {
      library: { ...(await import('../../../lib/index.js')), ...(await import('../../../lib/decorators/inject-plugin-repository.decorator.js')) },
      constants: await import('../../../lib/constants.js') };
  });
  return copy!;
}

describe('declarations made by another copy of the library', () => {
  it('is a second copy indeed: its classes are not ours', async () => {
    const { library } = await secondCopy();
    const ours = await import('../../../lib/index.js');
    expect(library.PluginModule).not.toBe(ours.PluginModule);
  });

  it('recognises a plugin class, its exposed methods, listeners and context consumers', async () => {
    const { library } = await secondCopy();
    class Scores {
      constructor(readonly ctx: unknown) {}
      total(): number {
        return 3;
      }
      onScored(): void {}
    }
    library.InjectPluginContext()(Scores, undefined as never, 0);
    library.Expose({ name: 'sum', timeoutMs: 50 })(Scores.prototype, 'total', Object.getOwnPropertyDescriptor(Scores.prototype, 'total')!);
    library.OnPluginEvent('score:*')(Scores.prototype, 'onScored', Object.getOwnPropertyDescriptor(Scores.prototype, 'onScored')!);
    library.Plugin({ name: 'scores', version: '1.0.0', providers: [] })(Scores);

    expect(isPluginClass(Scores)).toBe(true);
    expect(getPluginMetadata(Scores)).toMatchObject({ name: 'scores', version: '1.0.0' });
    expect(getOwnExposedMethods(Scores.prototype)).toEqual([{ key: 'total', name: 'sum', guard: { timeoutMs: 50 } }]);
    expect(getOwnPluginEventListeners(Scores.prototype)).toEqual([{ key: 'onScored', event: 'score:*' }]);
    expect(injectsPluginContext(Scores)).toBe(true);
    expect(pluginExportProblem({ default: Scores })).toContain('not a class decorated');
  });

  it('shares the injection tokens of the context and of repositories', async () => {
    const { library, constants } = await secondCopy();
    expect(constants.PLUGIN_CONTEXT).toBe(PLUGIN_CONTEXT);
    expect(constants.PLUGIN_CONTEXTS).toBe(PLUGIN_CONTEXTS);
    class Score {}
    expect(library.pluginRepositoryToken(Score)).toBe(pluginRepositoryToken(Score));
  });

  it('finds the file of an isolated plugin that the other copy recorded', async () => {
    const { library } = await secondCopy();
    class Isolated {}
    library.Plugin({ name: 'isolated', version: '1.0.0', isolation: 'thread' })(Isolated);
    expect(pluginModuleFileOf(Isolated)).toMatch(/cross-copy-declarations\.spec\.ts$/);
  });
});

describe('pluginExportProblem', () => {
  it('names a plugin class exported only by name, and how to export it', () => {
    class Stats {}
    Plugin({ name: 'stats', version: '1.0.0' })(Stats);
    expect(pluginExportProblem({ Stats })).toBe(
      'its default export is not a class decorated with @Plugin() (it exports the plugin Stats by name: add `export default Stats;`)',
    );
    expect(pluginExportProblem({ default: 42 })).toBe('its default export is not a class decorated with @Plugin()');
  });

  it('names a copy that records plugins in another format, relative to the application, and the fix', () => {
    class Foreign {}
    const directory = `${process.cwd()}/node_modules/@acme/plugin/node_modules/nestjs-plugins/dist/lib`;
    Object.defineProperty(Foreign, Symbol.for('nestjs-plugins:decorated-by'), { value: { format: 0, directory } });
    const problem = pluginExportProblem({ default: Foreign });
    expect(problem).toBe(
      'its default export was decorated by another copy of nestjs-plugins (node_modules/@acme/plugin/node_modules/nestjs-plugins/dist/lib) that records plugins differently: ' +
        "declare nestjs-plugins in the plugin package's peerDependencies, and install the application so that one copy remains (`npm dedupe`, or a workspace)",
    );
    expect(problem).not.toContain(process.cwd());
  });
});
