import { pathToFileURL } from 'node:url';
import { compiledLibrary } from '../../isolation/support/isolation-harness.js';
import { makeTarball, type TarEntry } from '../../../support/tarballs.js';

export interface PluginPackageOptions {
  readonly name?: string;
  readonly version: string;
  /** the plugin's name in `@Plugin` */
  readonly plugin?: string;
  readonly hostRange?: string;
  /** a file the module, and every install script, appends `<who> <pid>` to */
  readonly canary: string;
  readonly dependencies?: Record<string, string>;
  /** entries added to the tarball as they are (hostile ones included) */
  readonly extraEntries?: readonly TarEntry[];
  /** the module's text, replacing the plugin */
  readonly moduleText?: string;
}

/** Install scripts that would leave a trace in the canary file, were they ever run. */
function scripts(canary: string, who: string): Record<string, string> {
  const line = (hook: string) => `node -e "require('fs').appendFileSync(${JSON.stringify(canary).replaceAll('"', '\\"')}, '${who} ${hook}\\n')"`;
  return { preinstall: line('preinstall'), install: line('install'), postinstall: line('postinstall'), prepare: line('prepare') };
}

/**
 * A plugin package as a publisher would pack it: `package/package.json` (with install scripts
 * that write the canary) and `package/index.js`, an ES module whose top level appends
 * `module <pid>` to the canary and whose plugin reports where it runs. It imports the compiled
 * library by its file URL, as the isolation suites' fixtures do.
 */
export async function pluginPackage(options: PluginPackageOptions): Promise<{ manifest: Record<string, unknown> & { name: string; version: string }; tarball: Buffer }> {
  const name = options.name ?? '@acme/x';
  const plugin = options.plugin ?? 'acme-x';
  const manifest = {
    name,
    version: options.version,
    type: 'module',
    main: 'index.js',
    scripts: scripts(options.canary, name),
    ...(options.dependencies === undefined ? {} : { dependencies: options.dependencies }),
  };
  const usesDependency = options.dependencies?.['@acme/dep'] !== undefined;
  const moduleText =
    options.moduleText ??
    `import { appendFileSync } from 'node:fs';
import { Expose, Plugin } from ${JSON.stringify(pathToFileURL(compiledLibrary()).href)};
${usesDependency ? "import dep from '@acme/dep';" : 'const dep = { tag: "none" };'}
try { appendFileSync(${JSON.stringify(options.canary)}, 'module ' + process.pid + '\\n'); } catch {}
class AcmePlugin {
  whereAmI() {
    return { pid: process.pid, version: ${JSON.stringify(options.version)}, dep: dep.tag };
  }
}
Expose()(AcmePlugin.prototype, 'whereAmI', Object.getOwnPropertyDescriptor(AcmePlugin.prototype, 'whereAmI'));
Plugin({ name: ${JSON.stringify(plugin)}, version: ${JSON.stringify(options.version)}${options.hostRange === undefined ? '' : `, hostRange: ${JSON.stringify(options.hostRange)}`} })(AcmePlugin);
export default AcmePlugin;
`;
  const tarball = await makeTarball([
    { path: 'package/package.json', body: JSON.stringify(manifest, null, 2) },
    { path: 'package/index.js', body: moduleText },
    ...(options.extraEntries ?? []),
  ]);
  return { manifest, tarball };
}

/** A CommonJS dependency whose install scripts would write the canary too. */
export async function dependencyPackage(canary: string, version = '1.0.0'): Promise<{ manifest: Record<string, unknown> & { name: string; version: string }; tarball: Buffer }> {
  const manifest = { name: '@acme/dep', version, main: 'index.js', scripts: scripts(canary, '@acme/dep') };
  const tarball = await makeTarball([
    { path: 'package/package.json', body: JSON.stringify(manifest) },
    { path: 'package/index.js', body: `module.exports = { tag: 'dep ${version}' };` },
  ]);
  return { manifest, tarball };
}
