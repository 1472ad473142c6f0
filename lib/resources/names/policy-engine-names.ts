import type { ResourcePolicy } from '../resource-policy.js';
import type { EngineName } from './engine-name-length.js';

/** The real names of a plugin's allowed tables, prefixed (`<plugin>_<table>`) or mapped by the host. */
export function policyEngineNames(policy: ResourcePolicy): EngineName[] {
  return policy.tableRealNames().map(([name, realName]) => ({ what: `table "${name}"`, realName }));
}
