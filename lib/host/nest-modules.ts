import type { ModuleRef, NestContainer } from '@nestjs/core';
import type { NestModuleRef } from '../registry/find-plugin-modules.js';

/**
 * What runtime loading needs from Nest beyond its public API, in one place: the container
 * (to see which modules a lazy load inserted, and to remove them on unload) and the
 * lifecycle hooks, which Nest does not run for lazily loaded modules.
 */

type ModuleHook = 'onModuleInit' | 'onApplicationBootstrap' | 'onModuleDestroy' | 'beforeApplicationShutdown' | 'onApplicationShutdown';

/** `ModuleRef` keeps the container in a protected field; there is no public accessor. */
export function containerOf(moduleRef: ModuleRef): NestContainer {
  return (moduleRef as unknown as { container: NestContainer }).container;
}

/**
 * Runs one hook on a module the way Nest does: providers and controllers together, then the
 * module class itself last.
 */
async function runModuleHook(moduleRef: NestModuleRef, hook: ModuleHook): Promise<void> {
  const moduleInstance = moduleRef.instance as unknown;
  const members = [...moduleRef.providers.values(), ...moduleRef.controllers.values()]
    .filter((wrapper) => !wrapper.isAlias && wrapper.isDependencyTreeStatic())
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance) => instance !== moduleInstance && hasHook(instance, hook));
  await Promise.all(members.map((instance) => (instance as Record<ModuleHook, () => unknown>)[hook]()));
  if (hasHook(moduleInstance, hook)) await (moduleInstance as Record<ModuleHook, () => unknown>)[hook]();
}

/** Runs `hook` on every module in order, each awaited. */
export async function runModulesHook(modules: readonly NestModuleRef[], hook: ModuleHook): Promise<void> {
  for (const moduleRef of modules) await runModuleHook(moduleRef, hook);
}

function hasHook(instance: unknown, hook: ModuleHook): boolean {
  return typeof instance === 'object' && instance !== null && typeof (instance as Record<string, unknown>)[hook] === 'function';
}
