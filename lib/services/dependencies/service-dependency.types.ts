/** A dependency a remote plugin declares, as it registers it (the seed's `POST /dependencies`). */
export interface DependencyRegistration {
  pluginId: string;
  dependsOnPluginId: string;
  /** semver range the dependency's version must satisfy (`*`: any) */
  version: string;
  /** default true; an unavailable optional dependency does not stop `resolve` from succeeding */
  required?: boolean;
  reason?: string;
}

/** A declared dependency: from a local plugin's `@Plugin` metadata or from a registration. */
export interface ServiceDependency {
  pluginId: string;
  dependsOnPluginId: string;
  version: string;
  required: boolean;
  reason?: string;
  /** `local`: the `@Plugin` metadata of a local plugin; `registered`: `PluginDependencyRegistry.register` */
  source: 'local' | 'registered';
  /** the tenant a registration was made for; absent: every tenant */
  tenantId?: string;
}

export interface DependencyStatus {
  dependsOnPluginId: string;
  version: string;
  required: boolean;
  /** an active local plugin or a HEALTHY remote service of that plugin satisfies the range */
  available: boolean;
  /** the version that satisfies the range, else the one that does not */
  foundVersion?: string;
  /** why it is not available */
  problem?: string;
}

export interface DependencyResolution {
  pluginId: string;
  /** every required dependency is available */
  resolved: boolean;
  dependencies: DependencyStatus[];
}

export interface UninstallCheck {
  pluginId: string;
  canUninstall: boolean;
  /** plugins that require it, local or registered */
  blockedBy: string[];
}
