import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPluginPackages } from '../../../lib/host/installed-plugin-packages.js';
import { runtimePluginFiles } from '../../../lib/gateway-module/runtime-plugin-files.js';

describe('what can be loaded', () => {
  let root: string;
  const write = async (path: string, text: string) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'loadable-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lists installed packages that peer on nestjs-plugins or declare nestjsPlugin, scoped ones too, and nothing else', async () => {
    await write('node_modules/@acme/billing/package.json', JSON.stringify({ name: '@acme/billing', peerDependencies: { 'nestjs-plugins': '^1' } }));
    await write('node_modules/badges/package.json', JSON.stringify({ name: 'badges', nestjsPlugin: { isolation: 'process' } }));
    await write('node_modules/lodash/package.json', JSON.stringify({ name: 'lodash' }));
    await write('node_modules/nestjs-plugins/package.json', JSON.stringify({ name: 'nestjs-plugins', nestjsPlugin: {} }));
    await write('node_modules/broken/package.json', '{ not json');
    expect(await installedPluginPackages(root)).toEqual(['@acme/billing', 'badges']);
  });

  it('lists none without node_modules', async () => {
    expect(await installedPluginPackages(join(root, 'absent'))).toEqual([]);
  });

  it('lists compiled plugin files below runtimePluginsDir by their relative name, none without the directory', async () => {
    await write('plugins/b.plugin.js', '');
    await write('plugins/nested/a.plugin.mjs', '');
    await write('plugins/helper.js', '');
    expect(await runtimePluginFiles(join(root, 'plugins'))).toEqual(['b.plugin.js', 'nested/a.plugin.mjs']);
    expect(await runtimePluginFiles(undefined)).toEqual([]);
    expect(await runtimePluginFiles(join(root, 'absent'))).toEqual([]);
  });
});
