import type { PluginRecord } from '../../registry/plugin-record.js';
import type { ServiceEndpoint, ServiceInstance } from './service.types.js';

/**
 * Every active local plugin is a service named after itself, whose endpoints are its exposed
 * methods as `POST /<methodName>` (the request body carries the arguments). Built from the
 * record on every read, so it always shows the plugin as it is now.
 */
export function toLocalServiceInstance(record: PluginRecord): ServiceInstance {
  return {
    id: `local:${record.name}`,
    pluginId: record.name,
    serviceName: record.name,
    version: record.metadata.version,
    kind: 'local',
    endpoints: Array.from(record.methods.keys(), (name): ServiceEndpoint => ({ method: 'POST', path: `/${name}` })),
    state: record.isolation?.unresponsive ? 'DEGRADED' : 'HEALTHY',
  };
}

/** The exposed method a request to a local plugin names: `POST /<methodName>`; undefined for anything else. */
export function localMethodName(record: PluginRecord, method: string, segments: readonly string[]): string | undefined {
  if (method !== 'POST' || segments.length !== 1 || !record.methods.has(segments[0])) return undefined;
  return segments[0];
}
