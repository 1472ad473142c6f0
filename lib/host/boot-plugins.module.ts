import { Module } from '@nestjs/common';
import type { DynamicModule, OnModuleDestroy } from '@nestjs/common';
import { BOOT_PLUGIN_CLASSES } from '../constants.js';
import { DuplicatePluginError, InvalidPluginMetadataError } from '../errors/index.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import { getPluginMetadata, isPluginClass, linkDependencyModules, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { validatePluginMetadata } from '../metadata/plugin-metadata.validator.js';
import { loadDeclaredValidationLibraries } from '../metadata/validation-libraries.js';
import type { PluginSources } from './plugin-sources.js';
import { loadPluginDirectory } from './load-plugin-directory.js';
import { PluginLifecycle } from './plugin-lifecycle.js';
import { PluginPackages } from './plugin-packages.js';
import { sandboxModeOption } from '../isolation/sandbox/sandbox-mode.js';
import type { PluginSourceRules } from './plugin-source.js';
import { assertScopedDatabaseAccess } from '../metadata/scoped-database-access.js';
import type { ScopeWideningServices } from '../metadata/scope-widening-services.js';
import { TRUSTED_PLUGINS, trustedPluginNames } from './trusted-plugins.js';
import { ISOLATED_BOOT_PLUGINS, ISOLATION_CHOICES, SANDBOX_MODE } from '../isolation/isolation-choices.js';
import { effectiveIsolationMode } from '../isolation/host/effective-isolation.js';

/**
 * Imports the plugin modules PluginModule was given, so Nest instantiates them. Being
 * non-global and shallower than the plugin modules, its destroy hook runs before theirs:
 * plugins stop while their providers are still alive.
 */
@Module({})
export class BootPluginsModule implements OnModuleDestroy {
  constructor(private readonly lifecycle: PluginLifecycle) {}

  async onModuleDestroy(): Promise<void> {
    await this.lifecycle.stopAll();
  }
}

/**
 * Gathers the plugins known before Nest scans (`plugins`, `pluginsDir`, `packages`), validates
 * them, checks they use no unscoped database door, and makes each import the modules of
 * its dependencies. Nest awaits this while scanning, so a bad plugin fails the boot
 * before anything is instantiated.
 */
export async function createBootPluginsModule(sources: PluginSources, scopeWidening: ScopeWideningServices): Promise<DynamicModule> {
  const trusted = trustedPluginNames(sources.trustedPlugins);
  // `forRoot` passes every option here, `config` included; `forRootAsync` only the sources.
  const config = (sources as { config?: Record<string, unknown> }).config;
  const sandbox = sandboxModeOption(sources.sandbox);
  const rules: PluginSourceRules = { isolation: sources.isolation, trustedPlugins: trusted, config, sandbox };
  // An empty string (an unset environment variable, say) means no directory, not the working directory.
  const fromDirectory = sources.pluginsDir ? await loadPluginDirectory(sources.pluginsDir, rules) : [];
  const packages = new PluginPackages(sources.packagesRoot);
  const fromPackages: PluginClass[] = [];
  for (const packageName of sources.packages ?? []) fromPackages.push(await packages.importPluginClass(packageName, rules));
  const pluginClasses = [...new Set([...(sources.plugins ?? []), ...fromDirectory, ...fromPackages])];
  const byName = new Map<string, PluginClass>();
  for (const pluginClass of pluginClasses) {
    if (!isPluginClass(pluginClass)) {
      throw new InvalidPluginMetadataError(`plugin class "${(pluginClass as Function)?.name}"`, ['it is not decorated with @Plugin()']);
    }
    const metadata = getPluginMetadata(pluginClass)!;
    await validatePluginMetadata(metadata, pluginClass.name);
    const first = byName.get(metadata.name);
    if (first !== undefined) throw new DuplicatePluginError(metadata.name, first.name, pluginClass.name);
    byName.set(metadata.name, pluginClass);
  }
  // Every plugin class of the app is declared by now (packages and pluginsDir were imported above).
  await loadDeclaredValidationLibraries();
  await assertScopedDatabaseAccess(pluginClasses, trusted, scopeWidening);
  // Isolated plugins run in a guest: Nest must never build their modules here.
  const isIsolated = (pluginClass: PluginClass) => {
    const { name, isolation } = getPluginMetadata(pluginClass)!;
    return effectiveIsolationMode(name, isolation, sources.isolation) !== 'inline';
  };
  const isolatedClasses = pluginClasses.filter(isIsolated);
  const inlineClasses = pluginClasses.filter((pluginClass) => !isIsolated(pluginClass));
  for (const pluginClass of inlineClasses) {
    // A dependency that is not here may still come from the application's own imports;
    // the full resolution after scanning reports it if it does not.
    const dependencyClasses = (getPluginMetadata(pluginClass)!.dependencies ?? [])
      .map((dependency) => byName.get(normalizeDependency(dependency).name))
      .filter((dependencyClass): dependencyClass is PluginClass => dependencyClass !== undefined && dependencyClass !== pluginClass && !isIsolated(dependencyClass));
    linkDependencyModules(pluginClass, dependencyClasses);
  }
  return {
    module: BootPluginsModule,
    imports: inlineClasses,
    providers: [
      // All of them, in the order given: registration order interleaves inline and isolated plugins.
      { provide: BOOT_PLUGIN_CLASSES, useValue: pluginClasses },
      { provide: ISOLATED_BOOT_PLUGINS, useValue: isolatedClasses },
      { provide: ISOLATION_CHOICES, useValue: sources.isolation ?? {} },
      { provide: SANDBOX_MODE, useValue: sandbox },
      { provide: TRUSTED_PLUGINS, useValue: trusted },
      { provide: PluginPackages, useValue: packages },
    ],
    exports: [BOOT_PLUGIN_CLASSES, TRUSTED_PLUGINS, PluginPackages, ISOLATED_BOOT_PLUGINS, ISOLATION_CHOICES, SANDBOX_MODE],
  };
}
