import type { PluginContext } from './plugin-context.interface.js';

/** Runs once the plugin's dependencies are active, in dependency order, each awaited. */
export interface OnPluginInit {
  onPluginInit(ctx: PluginContext): unknown;
}

/** Runs on shutdown or unload, in exact reverse of the init order. */
export interface OnPluginDestroy {
  onPluginDestroy(): unknown;
}
