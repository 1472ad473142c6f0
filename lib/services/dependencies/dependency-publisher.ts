import type { DependencyRegistration } from './service-dependency.types.js';

/**
 * Where `PluginDependencyRegistry` publishes the dependencies declared on this instance, so
 * that the other instances see them: in cluster mode the `Cluster`; on a single instance none.
 */
export interface DependencyPublisher {
  recordDependencies(tenantId: string | undefined, registrations: readonly DependencyRegistration[]): void;
}

/** Injection token of the `DependencyPublisher`, or null when `forRoot({ cluster })` is not set. */
export const DEPENDENCY_PUBLISHER = Symbol('nestjs-plugins:DependencyPublisher');

/** A declared dependency as published, read back by each instance (`PluginDependencyRegistry.restoreRegistered`). */
export interface StoredDependency {
  tenantId: string | undefined;
  registration: DependencyRegistration;
}
