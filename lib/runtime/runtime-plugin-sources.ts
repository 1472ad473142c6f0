import { resolve } from 'node:path';
import { PluginLoadError } from '../errors/index.js';
import { analyzePluginGraph } from '../graph/resolve-plugin-order.js';
import { importPluginClass } from '../host/load-plugin-directory.js';
import type { PluginLifecycle } from '../host/plugin-lifecycle.js';
import { isPackageName } from '../host/plugin-package-name.js';
import type { PluginPackages } from '../host/plugin-packages.js';
import type { PluginSourceRules } from '../host/plugin-source.js';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { PluginRecord } from '../registry/plugin-record.js';

/** A plugin to load: its class, and the file it came from if any. */
export interface PluginSource {
  readonly declaredClass: PluginClass;
  readonly file?: string;
}

/** Where a runtime load gets its plugin class: as given, from an installed package, or from a file. */
export class RuntimePluginSources {
  constructor(
    private readonly packages: PluginPackages,
    private readonly lifecycle: PluginLifecycle,
    /** how plugin files and packages are read: a `'process'` plugin is described by a guest, never imported here */
    private readonly rules: () => PluginSourceRules,
  ) {}

  async sourceOf(fileOrClass: string | PluginClass): Promise<PluginSource> {
    if (typeof fileOrClass !== 'string') return { declaredClass: fileOrClass };
    if (isPackageName(fileOrClass)) return { declaredClass: await this.packages.importPluginClass(fileOrClass, this.rules()).catch((error) => this.reportAndThrow(error)) };
    const file = resolve(fileOrClass);
    return { declaredClass: await importPluginClass(file, this.rules()).catch((error) => this.reportAndThrow(error)), file };
  }

  /**
   * The code of a loaded plugin, evaluated again: a package is resolved and its entry imported
   * afresh (an upgraded package's new entry included), a file is imported again, a class is reused.
   */
  async freshSourceOf({ declaredClass, file }: PluginRecord['origin']): Promise<PluginSource> {
    const packageName = this.packages.packageOf(declaredClass);
    if (packageName !== undefined) return { declaredClass: await this.packages.importPluginClass(packageName, this.rules(), { fresh: true }) };
    return file === undefined ? { declaredClass } : { declaredClass: await importPluginClass(file, this.rules(), { fresh: true }), file };
  }

  private reportAndThrow(error: unknown): never {
    this.lifecycle.reportError(error as Error);
    throw error;
  }
}

/** The plugin name a source declares; a class that is not a plugin fails the load as usual. */
export function nameOf({ declaredClass }: PluginSource): string {
  const metadata = getPluginMetadata(declaredClass);
  if (metadata === undefined) throw new PluginLoadError(`class ${declaredClass.name}`, 'it is not decorated with @Plugin()');
  return metadata.name;
}

/** Sources ordered so dependencies inside the batch load first; resolution problems surface at load. */
export function inDependencyOrder(sources: readonly PluginSource[]): PluginSource[] {
  const byName = new Map(sources.map((source) => [getPluginMetadata(source.declaredClass)!.name, source]));
  const { order } = analyzePluginGraph(
    sources.map(({ declaredClass }) => {
      const { name, version, dependencies } = getPluginMetadata(declaredClass)!;
      return { name, version, dependencies: (dependencies ?? []).filter((dependency) => byName.has(typeof dependency === 'string' ? dependency : dependency.name)) };
    }),
  );
  const ordered = order.map((name) => byName.get(name)!);
  return [...ordered, ...sources.filter((source) => !ordered.includes(source))];
}
