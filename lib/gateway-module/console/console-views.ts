import type { PluginGraph } from '../../graph/plugin-graph.js';
import type { PluginInfo } from '../../interfaces/plugin-state.interface.js';
import type { PluginSchemaStatus } from '../../migrations/plugin-migrations.js';
import type { ServiceInstance } from '../../services/registry/service.types.js';

/** A dependency as the console lists it under its dependent. */
export interface ConsoleDependency {
  name: string;
  range: string;
  optional: boolean;
  satisfied: boolean;
}

/** One row of the console's plugin table: plain JSON, errors as their messages. */
export interface ConsolePluginRow {
  name: string;
  version: string;
  state: string;
  description?: string;
  error?: string;
  dependencies: ConsoleDependency[];
  /** registered plugins that declare a dependency on this one */
  dependents: string[];
  /** for a plugin with entities or migrations: its last applied migration (null: none yet) and those pending */
  schema?: { version: string | null; pending: string[] };
}

/** The services one tenant sees on its own; `tenantId` null: those every tenant sees (local plugins, remote ones registered outside any tenant). */
export interface ConsoleTenantServices {
  tenantId: string | null;
  services: ServiceInstance[];
}

/**
 * The registry's plugins with their dependencies and dependents, read off the graph (which knows
 * ranges and whether each is satisfied); `hidePaths` takes host directories out of error messages,
 * `schemaOf` tells a plugin's migrations as the host last saw them.
 */
export function consolePluginRows(
  plugins: readonly PluginInfo[],
  graph: PluginGraph,
  hidePaths: (text: string) => string,
  schemaOf: (plugin: PluginInfo) => PluginSchemaStatus | undefined = () => undefined,
): ConsolePluginRow[] {
  return plugins.map((plugin) => ({
    name: plugin.name,
    version: plugin.version,
    state: plugin.state,
    ...(plugin.metadata.description === undefined ? {} : { description: plugin.metadata.description }),
    ...(plugin.error === undefined ? {} : { error: hidePaths(plugin.error.message) }),
    dependencies: graph.edges
      .filter((edge) => edge.from === plugin.name)
      .map(({ to, range, optional, satisfied }) => ({ name: to, range, optional, satisfied })),
    dependents: graph.edges.filter((edge) => edge.to === plugin.name).map((edge) => edge.from),
    ...schemaRow(schemaOf(plugin)),
  }));
}

function schemaRow(status: PluginSchemaStatus | undefined): Pick<ConsolePluginRow, 'schema'> {
  if (status === undefined) return {};
  return { schema: { version: status.applied.at(-1) ?? null, pending: [...status.pending] } };
}

/** Every tenant's services grouped by tenant: the shared group first, then tenants by name. */
export function servicesByTenant(services: readonly ServiceInstance[]): ConsoleTenantServices[] {
  const groups = new Map<string | null, ServiceInstance[]>([[null, []]]);
  for (const service of services) {
    const tenantId = service.tenantId ?? null;
    const group = groups.get(tenantId);
    if (group === undefined) groups.set(tenantId, [service]);
    else group.push(service);
  }
  const tenants = [...groups.keys()].filter((tenantId): tenantId is string => tenantId !== null).sort();
  return [null, ...tenants].map((tenantId) => ({ tenantId, services: groups.get(tenantId)! }));
}
