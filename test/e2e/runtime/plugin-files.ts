import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Plugin files on disk, as a build would emit them: ES modules importing 'nestjs-plugins',
 * decorators applied as calls.
 */
export class PluginFiles {
  private constructor(readonly directory: string) {}

  /** Inside the repository, so the files resolve packages (`@nestjs/common`) as the project does. */
  static async create(): Promise<PluginFiles> {
    const root = join(process.cwd(), 'test', '.tmp');
    await mkdir(root, { recursive: true });
    const directory = await mkdtemp(join(root, 'plugins-'));
    await writeFile(join(directory, 'package.json'), '{ "type": "module" }');
    return new PluginFiles(directory);
  }

  /**
   * Writes `<name>.plugin.js`: `body` is the class body (every method but hooks is exposed),
   * `preamble` goes before the class, `afterClass` between the class and `@Plugin()`.
   */
  async write(name: string, options: { version?: string; dependencies?: unknown[]; body?: string; preamble?: string; afterClass?: string } = {}): Promise<string> {
    const file = join(this.directory, `${name}.plugin.js`);
    await writeFile(
      file,
      `import { Expose, Plugin, InjectPluginContext } from 'nestjs-plugins';
${options.preamble ?? ''}
class FilePlugin {
  ${options.body ?? ''}
}
const HOOKS = new Set(['constructor', 'onPluginInit', 'onPluginDestroy', 'onModuleInit', 'onModuleDestroy', 'onApplicationBootstrap']);
for (const key of Object.getOwnPropertyNames(FilePlugin.prototype)) {
  if (!HOOKS.has(key)) Expose()(FilePlugin.prototype, key, Object.getOwnPropertyDescriptor(FilePlugin.prototype, key));
}
${options.afterClass ?? ''}
Plugin({ name: ${JSON.stringify(name)}, version: ${JSON.stringify(options.version ?? '1.0.0')}, dependencies: ${JSON.stringify(options.dependencies ?? [])} })(FilePlugin);
export default FilePlugin;
`,
    );
    return file;
  }

  /** Writes a file with exactly `source`. */
  async writeRaw(fileName: string, source: string): Promise<string> {
    const file = join(this.directory, fileName);
    await writeFile(file, source);
    return file;
  }

  path(name: string): string {
    return join(this.directory, `${name}.plugin.js`);
  }

  remove(): Promise<void> {
    return rm(this.directory, { recursive: true, force: true });
  }
}
