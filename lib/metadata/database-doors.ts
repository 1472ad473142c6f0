import { PLUGIN_DATA_SOURCE } from '../constants.js';
import { isPluginClass, type PluginClass } from './plugin-metadata.accessor.js';
import { NEST_SCOPE_WIDENING_SERVICES, type ScopeWideningServices } from './scope-widening-services.js';
import { classInjections, enhancerClasses, moduleParts, providedToken, providerInjections, type ModuleParts } from './nest-injections.js';

/**
 * The ways a plugin could reach the application's database around its scope through Nest:
 * importing TypeORM's own modules or Nest's `DiscoveryModule`, or having Nest inject the
 * DataSource, an EntityManager, a repository or a service that reaches them (Nest's
 * reflective services, the library's host services: `ScopeWideningServices`) into
 * something it builds for the plugin.
 *
 * What is walked: the plugin module and every module it imports, transitively, except other
 * plugins' modules: those are reported for a check under their own names. Global and shared application
 * modules the plugin imports are walked too: importing a module makes its exports the
 * plugin's, and a static walk cannot tell a shared module from one the plugin wrote and
 * marked `@Global()`. A plugin that needs such a module is listed in `trustedPlugins`.
 */

/** TypeORM's classes, when it is installed (it is an optional peer dependency). */
interface TypeOrmClasses {
  readonly DataSource: Function;
  readonly EntityManager: Function;
  readonly Repository: Function;
}

/**
 * Token names @nestjs/typeorm gives named data sources (`${name}DataSource`,
 * `${name}EntityManager`) and repositories (`${Entity}Repository`), and the deprecated `Connection`.
 */
const TYPEORM_STRING_TOKEN = /(?:DataSource|EntityManager|Connection|Repository)$/;

/** A plugin module's own doors, and the plugin modules it imports (to be checked under their own names). */
export interface PluginDatabaseDoors {
  /** what each door is called in `UnscopedDatabaseAccessError`, in the order found (each once) */
  readonly doors: string[];
  readonly importedPlugins: PluginClass[];
}

export async function findDatabaseDoors(pluginClass: PluginClass, scopeWidening: ScopeWideningServices = NEST_SCOPE_WIDENING_SERVICES): Promise<PluginDatabaseDoors> {
  const typeorm = await loadTypeOrm();
  const doors = new Set<string>();
  const importedPlugins = new Set<PluginClass>();
  const visited = new Set<unknown>();

  const visit = async (parts: ModuleParts): Promise<void> => {
    if (visited.has(parts.dynamic ?? parts.moduleClass)) return;
    visited.add(parts.dynamic ?? parts.moduleClass);
    const moduleDoor = typeOrmModuleDoor(parts) ?? scopeWidening.get(parts.moduleClass);
    if (moduleDoor !== undefined) {
      doors.add(moduleDoor);
      return;
    }
    const imported = (await Promise.all(parts.imports.map(moduleParts))).filter((child): child is ModuleParts => child !== undefined);
    // What the module resolves by itself or from what it imports; any other token comes from
    // elsewhere in the application, such as the host's TypeORM module.
    const local = new Set([...parts.providers.map(providedToken), ...imported.flatMap(exportedProviders)]);
    for (const token of injectedTokens(parts)) {
      const door = local.has(token) ? undefined : doorName(token, typeorm, scopeWidening);
      if (door !== undefined) doors.add(door);
    }
    for (const child of imported) {
      if (isPluginClass(child.moduleClass)) importedPlugins.add(child.moduleClass);
      else await visit(child);
    }
  };

  const root = await moduleParts(pluginClass);
  if (root !== undefined) await visit(root);
  importedPlugins.delete(pluginClass);
  return { doors: [...doors], importedPlugins: [...importedPlugins] };
}

/** Every token Nest injects to build the module class, its providers, its controllers and their enhancers. */
function injectedTokens(parts: ModuleParts): unknown[] {
  const tokens: unknown[] = [];
  const built: Function[] = [parts.moduleClass, ...parts.controllers];
  for (const provider of parts.providers) {
    const injections = providerInjections(provider);
    tokens.push(...injections.tokens);
    built.push(...injections.classes);
  }
  for (const cls of built) {
    tokens.push(...classInjections(cls));
    for (const enhancer of enhancerClasses(cls)) tokens.push(...classInjections(enhancer));
  }
  return tokens;
}

/** Tokens a module both provides and exports (a re-exported module's are not followed: those count as from elsewhere). */
function exportedProviders(parts: ModuleParts): unknown[] {
  const provided = new Set(parts.providers.map(providedToken));
  return parts.exports
    .map((item) => (typeof item === 'object' && item !== null && 'provide' in item ? (item as { provide: unknown }).provide : item))
    .filter((token) => provided.has(token));
}

/** `TypeOrmModule.forFeature(...)` and `forRoot(...)` as dynamic modules (matched by name: @nestjs/typeorm is not our dependency). */
function typeOrmModuleDoor({ moduleClass, dynamic }: ModuleParts): string | undefined {
  if (dynamic === undefined || moduleClass.name !== 'TypeOrmModule') return undefined;
  return dynamic.providers !== undefined ? 'TypeOrmModule.forFeature' : 'TypeOrmModule.forRoot';
}

/** The door a token opens, or undefined when it is not a database token. */
export function doorName(token: unknown, typeorm: TypeOrmClasses | undefined, scopeWidening: ScopeWideningServices): string | undefined {
  if (token === PLUGIN_DATA_SOURCE) return 'DataSource';
  const service = scopeWidening.get(token);
  if (service !== undefined) return service;
  if (typeof token === 'string') return TYPEORM_STRING_TOKEN.test(token) ? token : undefined;
  if (typeof token !== 'function' || typeorm === undefined) return undefined;
  if (isOrExtends(token, typeorm.DataSource)) return 'DataSource';
  if (isOrExtends(token, typeorm.EntityManager)) return 'EntityManager';
  if (isOrExtends(token, typeorm.Repository)) return `repository ${token.name}`;
  return undefined;
}

function isOrExtends(candidate: Function, base: Function): boolean {
  return candidate === base || candidate.prototype instanceof base;
}

async function loadTypeOrm(): Promise<TypeOrmClasses | undefined> {
  return import('typeorm').catch(() => undefined);
}
