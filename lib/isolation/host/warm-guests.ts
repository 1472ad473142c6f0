import type { PluginClass } from '../../metadata/plugin-metadata.accessor.js';
import type { LaunchedGuest } from './guest-launcher.js';

/** A guest nobody claimed by then (its registration failed, say) is stopped. */
const UNCLAIMED_MS = 60_000;

interface WarmGuest {
  readonly guest: LaunchedGuest;
  readonly expiry: NodeJS.Timeout;
}

const warmGuests = new WeakMap<PluginClass, WarmGuest>();

/**
 * The process that described a plugin has imported its module already: the plugin's first start
 * takes it over instead of starting a second process (a describe costs about a process start).
 * Kept only where it was started as the plugin's own would be (no `env`, no heap limit).
 */
export function keepWarmGuest(pluginClass: PluginClass, guest: LaunchedGuest): void {
  const expiry = setTimeout(() => {
    warmGuests.delete(pluginClass);
    void guest.terminate();
  }, UNCLAIMED_MS);
  expiry.unref();
  warmGuests.set(pluginClass, { guest, expiry });
}

/** The guest kept for `pluginClass`, once; undefined when there is none (any more). */
export function claimWarmGuest(pluginClass: PluginClass): LaunchedGuest | undefined {
  const warm = warmGuests.get(pluginClass);
  if (warm === undefined) return undefined;
  warmGuests.delete(pluginClass);
  clearTimeout(warm.expiry);
  return warm.guest;
}
