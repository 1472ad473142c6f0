import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';

/** The configuration as the plugin's `configSchema` made it, or why it does not fit. */
export type ConfigOutcome = { readonly config: Readonly<Record<string, unknown>> } | { readonly problems: readonly string[] };

/**
 * Checks a plugin's configuration where its `configSchema` lives: in a guest, for a `'process'`
 * plugin the host described rather than imported (its schema is a class that stayed there).
 */
export type ConfigCheck = (values: unknown) => Promise<ConfigOutcome>;

const checks = new WeakMap<Readonly<PluginMetadata>, ConfigCheck>();

export function rememberConfigCheck(metadata: Readonly<PluginMetadata>, check: ConfigCheck): void {
  checks.set(metadata, check);
}

export function configCheckOf(metadata: Readonly<PluginMetadata>): ConfigCheck | undefined {
  return checks.get(metadata);
}
