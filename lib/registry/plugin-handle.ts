import { PluginNotActiveError } from '../errors/index.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { ExposedMethod, PluginRecord } from './plugin-record.js';

export type ApplyExposedMethod = (method: ExposedMethod, args: unknown[]) => unknown;

/**
 * An object with the plugin's metadata and one function per exposed method. Each
 * function checks the state on every call, so a handle kept past unload fails cleanly.
 */
export function createPluginHandle(record: PluginRecord, apply: ApplyExposedMethod): PluginHandle {
  const handle: Record<string, unknown> = {};
  for (const method of record.methods.values()) {
    handle[method.name] = (...args: unknown[]) => {
      if (record.state !== 'active') throw new PluginNotActiveError(record.name);
      return apply(method, args);
    };
  }
  handle.metadata = record.metadata;
  return Object.freeze(handle) as PluginHandle;
}

export const applyDirectly: ApplyExposedMethod = (method, args) => method.fn.apply(method.target, args);
