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

/** The fields a client written to the Plexica seed reads from a resolution. */
export interface InstallPlan {
  /** no error: every required dependency, direct or transitive, is available, and there is no cycle */
  valid: boolean;
  /** one sentence per unavailable required dependency, then one per cycle */
  errors: string[];
  /** one sentence per unavailable optional dependency */
  warnings: string[];
  /** the plugin and what it needs, dependencies first; plugins on a cycle are left out */
  installOrder: string[];
}

export interface DependencyResolution extends InstallPlan {
  pluginId: string;
  /** every required direct dependency is available */
  resolved: boolean;
  /** the direct dependencies, each checked */
  dependencies: DependencyStatus[];
}

/** A plugin that stops another from being uninstalled, and why. */
export interface UninstallBlocker {
  pluginId: string;
  /** the reason declared with the dependency, else which range it requires */
  reason: string;
}

export interface UninstallCheck {
  pluginId: string;
  canUninstall: boolean;
  /** plugins that require it, local or registered */
  blockedBy: UninstallBlocker[];
}
