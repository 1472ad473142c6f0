import { Inject, Injectable, Optional } from '@nestjs/common';
import { DEPENDENCY_PUBLISHER, type DependencyPublisher, type StoredDependency } from './dependency-publisher.js';
import { assertActingAs, PluginCallContext } from '../../context/plugin-call-context.js';
import { InvalidDependencyRegistrationError } from '../../errors/service.errors.js';
import type { NormalizedDependency } from '../../interfaces/plugin-metadata.interface.js';
import type { PluginRecord } from '../../registry/plugin-record.js';
import { PluginRecordStore } from '../../registry/plugin-record.store.js';
import { ServiceRegistry } from '../registry/service.registry.js';
import { dependencyStatus } from './dependency-status.js';
import { RegisteredDependencyTable } from './registered-dependency.table.js';
import { planInstall } from './install-plan.js';
import type { DependencyRegistration, DependencyResolution, ServiceDependency, UninstallBlocker, UninstallCheck } from './service-dependency.types.js';
import { validateDependencies } from './validate-dependencies.js';

/**
 * Who depends on whom, across local plugins (their `@Plugin` dependencies) and remote ones
 * (registered here, for the current tenant like services). Answers the gateway's "did the
 * caller declare this dependency?" and the install/uninstall questions of the seed's REST.
 */
@Injectable()
export class PluginDependencyRegistry {
  /** Replaced as a whole by each cluster sync. */
  private registered = new RegisteredDependencyTable();

  constructor(
    private readonly records: PluginRecordStore,
    private readonly services: ServiceRegistry,
    /** Cluster mode: declarations are also stored, and read back by `ClusterRegistrySync`. */
    @Optional() @Inject(DEPENDENCY_PUBLISHER) private readonly publisher: DependencyPublisher | null = null,
  ) {}

  /** Cluster mode: the declarations as stored, replacing this instance's view. */
  restoreRegistered(stored: readonly StoredDependency[]): void {
    const table = new RegisteredDependencyTable();
    for (const { tenantId, registration } of stored) table.register([registration], tenantId);
    this.registered = table;
  }

  /** Registers remote plugins' dependencies for the current tenant (none: for every tenant); all or nothing. */
  register(dependencies: DependencyRegistration[]): ServiceDependency[] {
    const valid = validateDependencies(dependencies);
    for (const dependency of valid) assertActingAs(dependency.pluginId);
    const local = valid.filter((dependency) => this.records.get(dependency.pluginId) !== undefined).map((dependency) => dependency.pluginId);
    if (local.length > 0) {
      throw new InvalidDependencyRegistrationError([...new Set(local)].map((name) => `"${name}" is a local plugin: its dependencies come from its @Plugin metadata`));
    }
    const tenantId = PluginCallContext.tenantId();
    const stored = this.registered.register(valid, tenantId);
    this.publisher?.recordDependencies(tenantId, valid);
    return stored;
  }

  /** What `pluginId` depends on: a local plugin's declared dependencies, else its registered ones. */
  dependenciesOf(pluginId: string): ServiceDependency[] {
    const record = this.records.get(pluginId);
    if (record !== undefined) return record.dependencies.map((dependency) => fromLocal(record, dependency));
    return this.registered.visibleTo(PluginCallContext.tenantId()).filter((dependency) => dependency.pluginId === pluginId);
  }

  /** Local plugins (in any state) and registered plugins that declare a dependency on `pluginId`. */
  dependentsOf(pluginId: string): ServiceDependency[] {
    const dependents: ServiceDependency[] = [];
    for (const record of this.records.values()) {
      const dependency = record.dependencies.find((declared) => declared.name === pluginId);
      if (dependency !== undefined) dependents.push(fromLocal(record, dependency));
    }
    for (const dependency of this.registered.visibleTo(PluginCallContext.tenantId())) {
      if (dependency.dependsOnPluginId === pluginId) dependents.push(dependency);
    }
    return dependents;
  }

  /** Whether `pluginId` declared a dependency (required or optional) on `dependsOnPluginId`. */
  declares(pluginId: string, dependsOnPluginId: string): boolean {
    const record = this.records.get(pluginId);
    if (record !== undefined) return record.dependencies.some((dependency) => dependency.name === dependsOnPluginId);
    return this.registered.find(pluginId, dependsOnPluginId, PluginCallContext.tenantId()) !== undefined;
  }

  /**
   * Each dependency of `pluginId` checked against what runs now: an active local plugin or a
   * HEALTHY remote service of that plugin whose version satisfies the range (`resolved`,
   * `dependencies`); and, in the shape a Plexica seed client reads, the whole closure of what it
   * needs (`valid`, `errors`, `warnings`, `installOrder`).
   */
  resolve(pluginId: string): DependencyResolution {
    const statusOf = (dependency: ServiceDependency) => {
      const found = this.services.list({ pluginId: dependency.dependsOnPluginId, state: 'HEALTHY' });
      return dependencyStatus(dependency, found.map((instance) => instance.version));
    };
    const dependencies = this.dependenciesOf(pluginId).map(statusOf);
    return {
      pluginId,
      resolved: dependencies.every((dependency) => dependency.available || !dependency.required),
      dependencies,
      ...planInstall(pluginId, (name) => this.dependenciesOf(name), statusOf),
    };
  }

  /** Blocked while any plugin, local or registered, requires it. */
  canUninstall(pluginId: string): UninstallCheck {
    const blockedBy = new Map<string, UninstallBlocker>();
    for (const dependency of this.dependentsOf(pluginId)) {
      if (dependency.required && !blockedBy.has(dependency.pluginId)) blockedBy.set(dependency.pluginId, toBlocker(dependency));
    }
    return { pluginId, canUninstall: blockedBy.size === 0, blockedBy: [...blockedBy.values()] };
  }
}

function toBlocker(dependency: ServiceDependency): UninstallBlocker {
  const range = dependency.version === '*' ? 'any version' : dependency.version;
  const declared = dependency.reason?.trim();
  return { pluginId: dependency.pluginId, reason: declared ? declared : `requires "${dependency.dependsOnPluginId}" (${range})` };
}

function fromLocal(record: PluginRecord, dependency: NormalizedDependency): ServiceDependency {
  return {
    pluginId: record.name,
    dependsOnPluginId: dependency.name,
    version: dependency.version,
    required: !dependency.optional,
    ...(dependency.reason === undefined ? {} : { reason: dependency.reason }),
    source: 'local',
  };
}
