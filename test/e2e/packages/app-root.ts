import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The source of a package entry default-exporting a plugin class; `body` goes into the class. */
export function pluginEntry(name: string, { version = '1.0.0', body = '' }: { version?: string; body?: string } = {}): string {
  return `import { Expose, Plugin } from 'nestjs-plugins';
class PackagedPlugin {
  ${body}
}
for (const key of Object.getOwnPropertyNames(PackagedPlugin.prototype)) {
  if (key !== 'constructor' && key !== 'onPluginInit') Expose()(PackagedPlugin.prototype, key, Object.getOwnPropertyDescriptor(PackagedPlugin.prototype, key));
}
Plugin({ name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)} })(PackagedPlugin);
export default PackagedPlugin;
`;
}

/**
 * A throw-away application directory with its own `node_modules`. Inside the repository, so
 * package files resolve `@nestjs/common` from the project's `node_modules`, as a plugin
 * package resolves its peers from the application's.
 */
export class AppRoot {
  private constructor(readonly directory: string) {}

  static async create(): Promise<AppRoot> {
    const parent = join(process.cwd(), 'test', '.tmp');
    await mkdir(parent, { recursive: true });
    const directory = await mkdtemp(join(parent, 'app-'));
    await writeFile(join(directory, 'package.json'), '{ "name": "app", "type": "module" }');
    return new AppRoot(directory);
  }

  /** Installs `node_modules/<name>` with `manifest` (name and `type: module` added) and `files`. */
  async install(name: string, manifest: Record<string, unknown>, files: Record<string, string>): Promise<string> {
    return this.writePackage(join(this.directory, 'node_modules', name), { name, type: 'module', ...manifest }, files);
  }

  /** A package kept elsewhere and linked into `node_modules`, as npm installs a `file:` dependency. */
  async link(name: string, manifest: Record<string, unknown>, files: Record<string, string>): Promise<void> {
    const target = await this.writePackage(join(this.directory, 'packages', name), { name, type: 'module', ...manifest }, files);
    const link = join(this.directory, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(target, link, 'dir');
  }

  /** Replaces one file of an installed package. */
  async write(name: string, file: string, source: string): Promise<void> {
    await writeFile(join(this.directory, 'node_modules', name, file), source);
  }

  remove(): Promise<void> {
    return rm(this.directory, { recursive: true, force: true });
  }

  private async writePackage(directory: string, manifest: Record<string, unknown>, files: Record<string, string>): Promise<string> {
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'package.json'), JSON.stringify(manifest));
    for (const [file, source] of Object.entries(files)) {
      await mkdir(dirname(join(directory, file)), { recursive: true });
      await writeFile(join(directory, file), source);
    }
    return directory;
  }
}
