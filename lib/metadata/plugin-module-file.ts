import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedWeakMap } from './shared-declarations.js';

/**
 * Which file defines a plugin class, so an isolated plugin's guest can import it: the file it
 * was imported from (`pluginsDir`, `PluginManager.load(file)`, packages), or, for a class
 * declared with `@Plugin({ isolation })`, the module that applied the decorator.
 */
const moduleFiles = sharedWeakMap<Function, string>('plugin-module-files');

/** This library's folder: frames inside it are the decorator's own, not the plugin's module. */
const LIBRARY_DIRECTORY = dirname(dirname(fileURLToPath(import.meta.url)));

export function rememberPluginModuleFile(pluginClass: Function, file: string): void {
  moduleFiles.set(pluginClass, file);
}

export function pluginModuleFileOf(pluginClass: Function): string | undefined {
  for (let current: unknown = pluginClass; typeof current === 'function' && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    const file = moduleFiles.get(current as Function);
    if (file !== undefined) return file;
  }
  return undefined;
}

/** Records the first caller outside this library, installed packages and Node's internals, from the stack. */
export function rememberDefiningModule(pluginClass: Function): void {
  const file = definingModuleFile();
  if (file !== undefined) moduleFiles.set(pluginClass, file);
}

function definingModuleFile(): string | undefined {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    for (const frame of frames) {
      const name = frame.getFileName();
      if (name === undefined || name === null || name.startsWith('node:')) continue;
      const file = name.startsWith('file:') ? fileURLToPath(name) : name;
      // Decorator helpers (reflect-metadata, tslib) sit between the decorator and the plugin's module.
      if (!file.startsWith(LIBRARY_DIRECTORY) && !file.includes(`${sep}node_modules${sep}`)) return file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}
