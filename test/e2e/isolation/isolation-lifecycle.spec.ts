import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { compiledFixture, compiledLibrary, loadCompiledLibrary, type CompiledLibrary } from './support/isolation-harness.js';

/**
 * SPEC §13: reload runs new code (the modules the plugin imports included), and a contained
 * process cannot read outside its folder.
 */
describe('isolated plugins: reload and containment', () => {
  let lib: CompiledLibrary;
  let app: INestApplicationContext;
  let directory: string;
  const lightFile = () => compiledFixture('light/light.plugin.js');

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    const moduleRef = await Test.createTestingModule({
      imports: [lib.PluginModule.forRoot({ isolation: { 'iso-light': 'thread', 'iso-versioned': 'thread' } })],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
    directory = await mkdtemp(join(process.cwd(), 'test', '.tmp', 'isolation-reload-'));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const manager = () => app.get(lib.PluginManager);
  const registry = () => app.get(lib.PluginRegistry) as any;

  it('reloads fresh code, including the modules the plugin imports', async () => {
    const decorators = (file: string) => pathToFileURL(compiledLibrary(`decorators/${file}`)).href;
    await writeFile(join(directory, 'package.json'), '{ "type": "module" }');
    await writeFile(join(directory, 'version.js'), `export const VERSION = 'v1';\n`);
    const pluginFile = join(directory, 'versioned.plugin.js');
    await writeFile(
      pluginFile,
      `import { Plugin } from ${JSON.stringify(decorators('plugin.decorator.js'))};
import { Expose } from ${JSON.stringify(decorators('expose.decorator.js'))};
import { VERSION } from './version.js';
class VersionedPlugin { version() { return VERSION; } }
Expose()(VersionedPlugin.prototype, 'version', Object.getOwnPropertyDescriptor(VersionedPlugin.prototype, 'version'));
Plugin({ name: 'iso-versioned', version: '1.0.0' })(VersionedPlugin);
export default VersionedPlugin;
`,
    );
    await manager().load(pluginFile);
    await expect(registry().call('iso-versioned', 'version')).resolves.toBe('v1');
    await writeFile(join(directory, 'version.js'), `export const VERSION = 'v2';\n`);
    await manager().reload('iso-versioned');
    await expect(registry().call('iso-versioned', 'version')).resolves.toBe('v2');
    await manager().unload('iso-versioned');
  }, 30_000);

  it('refuses a contained process a file outside its folder (Node permission model)', async () => {
    const processHost = await Test.createTestingModule({ imports: [lib.PluginModule.forRoot({ isolation: { 'iso-light': 'process' } })] }).compile();
    processHost.useLogger(false);
    const processApp = await processHost.init();
    try {
      const processManager = processApp.get(lib.PluginManager);
      for (let cycle = 0; cycle < 5; cycle++) {
        await processManager.load(lightFile());
        if (cycle < 4) await processManager.unload('iso-light');
      }
      const call = (file: string) => (processApp.get(lib.PluginRegistry) as any).call('iso-light', 'readFile', file) as Promise<string>;
      await expect(call(lightFile())).resolves.toMatch(/^read \d+ characters$/);
      // Not package.json: here the application is the library's own repository, and a contained
      // plugin may read the manifest of the library it imports (docs/isolation.md).
      await expect(call(join(process.cwd(), 'tsconfig.json'))).resolves.toBe('refused: ERR_ACCESS_DENIED');
      await expect(call(join(process.cwd(), 'README.md'))).resolves.toBe('refused: ERR_ACCESS_DENIED');
      await expect(call('/etc/hostname')).resolves.toBe('refused: ERR_ACCESS_DENIED');
    } finally {
      await processApp.close();
    }
  }, 60_000);
});
