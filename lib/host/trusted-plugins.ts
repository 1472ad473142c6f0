import { describeValue, isPluginName } from '../metadata/problem-text.js';

/** The names in `forRoot({ trustedPlugins })`, for runtime loads to check against what boot used. */
export const TRUSTED_PLUGINS = Symbol('nestjs-plugins:TrustedPlugins');

/** `trustedPlugins` as a set; a value that is not a list of plugin names fails boot rather than trusting by accident. */
export function trustedPluginNames(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || !value.every(isPluginName)) {
    throw new TypeError(`PluginModule option trustedPlugins must be an array of plugin names (got ${describeValue(value)})`);
  }
  return new Set(value);
}
