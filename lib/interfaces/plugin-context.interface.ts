import type { PluginCalls } from './facets/call.facet.js';
import type { PluginFacets } from './facets/plugin-facets.js';
import type { PluginMetadata } from './plugin-metadata.interface.js';

/**
 * What a plugin gets from the host: passed to `onPluginInit` and injectable with `@InjectPluginContext()`.
 * `TConfig` is the plugin's `configSchema` class: `PluginContext<BillingConfig>` types `ctx.config`.
 * Its members are the facets (`PluginFacets`), with `call` and the dependency handles directly on it.
 */
export interface PluginContext<TConfig extends object = Record<string, unknown>> extends PluginCalls, Omit<PluginFacets, 'config' | 'call'> {
  readonly plugin: Readonly<PluginMetadata>;
  /**
   * The plugin's configuration from `forRoot({ config })`, an instance of its `configSchema`
   * (defaults applied, validated at registration), frozen; `{}` for a plugin without a schema.
   */
  readonly config: Readonly<TConfig>;
  /** false once the plugin is unloaded; every other member then throws `ContextInvalidatedError`. */
  readonly valid: boolean;
}
