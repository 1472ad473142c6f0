import type { PluginGraph } from '../../graph/plugin-graph.js';
import type { PluginInfo } from '../../interfaces/plugin-state.interface.js';
import type { PluginSchemaStatus } from '../../migrations/plugin-migrations.js';
import type { ServiceInstance } from '../../services/registry/service.types.js';
import type { ConsolePluginDetails } from './console-plugin-details.js';

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
  /** isolation, configuration (secrets masked), routes and exposed methods */
  details?: ConsolePluginDetails;
}

/** The services one tenant sees on its own; `tenantId` null: those every tenant sees (local plugins, remote ones registered outside any tenant). */
export interface ConsoleTenantServices {
  tenantId: string | null;
  services: ServiceInstance[];
}

/**
 * The registry's plugins with their dependencies and dependents, read off the graph (which knows
 * ranges and whether each is satisfied); `hidePaths` takes host directories out of error messages,
 * `schemaOf` tells a plugin's migrations as the host last saw them, `detailsOf` the rest of what it knows.
 */
export function consolePluginRows(
  plugins: readonly PluginInfo[],
  graph: PluginGraph,
  hidePaths: (text: string) => string,
  schemaOf: (plugin: PluginInfo) => PluginSchemaStatus | undefined = () => undefined,
  detailsOf: (plugin: PluginInfo) => ConsolePluginDetails | undefined = () => undefined,
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
    ...detailsRow(detailsOf(plugin)),
  }));
}

function detailsRow(details: ConsolePluginDetails | undefined): Pick<ConsolePluginRow, 'details'> {
  return details === undefined ? {} : { details };
}

function schemaRow(status: PluginSchemaStatus | undefined): Pick<ConsolePluginRow, 'schema'> {
  if (status === undefined) return {};
  return { schema: { version: status.applied.at(-1) ?? null, pending: [...status.pending] } };
}

/**
 * Every tenant's services grouped by tenant: the shared group first, then tenants by name. A
 * `failed` plugin has no service left in the registry: it is listed among the shared ones as
 * UNAVAILABLE rather than vanish.
 */
export function servicesByTenant(services: readonly ServiceInstance[], plugins: readonly PluginInfo[] = []): ConsoleTenantServices[] {
  const groups = new Map<string | null, ServiceInstance[]>([[null, []]]);
  const listed = new Set(services.filter((service) => service.kind === 'local').map((service) => service.pluginId));
  const failed = plugins.filter((plugin) => plugin.state === 'failed' && !listed.has(plugin.name)).map(unavailableService);
  groups.get(null)!.push(...failed);
  for (const service of services) {
    const tenantId = service.tenantId ?? null;
    const group = groups.get(tenantId);
    if (group === undefined) groups.set(tenantId, [service]);
    else group.push(service);
  }
  const tenants = [...groups.keys()].filter((tenantId): tenantId is string => tenantId !== null).sort();
  return [null, ...tenants].map((tenantId) => ({ tenantId, services: groups.get(tenantId)! }));
}

function unavailableService(plugin: PluginInfo): ServiceInstance {
  return { id: `local:${plugin.name}`, pluginId: plugin.name, serviceName: plugin.name, version: plugin.version, kind: 'local', endpoints: [], state: 'UNAVAILABLE' };
}
