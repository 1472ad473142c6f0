import type { DefaultPluginContext } from '../../context/plugin-context.js';
import { PluginLoadError } from '../../errors/index.js';
import type { PluginCrashedError } from '../../errors/index.js';
import type { Router } from 'express';
import { normalizeDependency } from '../../metadata/normalize-dependency.js';
import { getPluginMetadata, type PluginClass } from '../../metadata/plugin-metadata.accessor.js';
import type { ExposedMethod } from '../../registry/exposed-method.js';
import { PluginRecord, type PluginOrigin } from '../../registry/plugin-record.js';
import type { WireExposedMethod } from '../guest-protocol.js';
import { pluginModuleFileOf } from '../../metadata/plugin-module-file.js';
import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';
import type { PluginRestartInfo } from '../../interfaces/plugin-state.interface.js';
import { sandboxCommandFor } from './guest-sandbox.js';
import { IsolatedPlugin } from './isolated-plugin.js';
import { claimWarmGuest } from './warm-guests.js';
import { proxiedControllerRouter, type InRequestTenant } from './proxied-controllers.js';

export interface IsolatedRecordOptions {
  readonly declaredClass: PluginClass;
  readonly origin: PluginOrigin;
  readonly mode: 'thread' | 'process';
  readonly context: DefaultPluginContext;
  /** `forRoot({ sandbox })`, for a `'process'` plugin */
  readonly sandbox: SandboxMode;
  readonly guardPermissions: (fn: ExposedMethod['fn'], method: WireExposedMethod) => ExposedMethod['fn'];
  /** serves a router of the plugin's while it is active (`PluginRoutes.serveControllers`) */
  readonly serveControllers: (router: () => Router) => void;
  /** the application's global prefix, which its routes carry */
  readonly globalPrefix: () => string;
  /** runs a request's handling in its tenant (`PluginRoutes.inRequestTenant`) */
  readonly inRequestTenant: InRequestTenant;
  /** a crash is to be restarted */
  readonly restarting: (record: PluginRecord, error: PluginCrashedError, restart: PluginRestartInfo) => void;
  /** the crash-loop breaker tripped */
  readonly fail: (record: PluginRecord, error: PluginCrashedError) => void;
}

/**
 * The record of a plugin that runs in a guest: no Nest module in the host, its instance is
 * the `IsolatedPlugin` (whose hooks start and stop the guest), and its exposed methods are
 * filled in when the guest has booted. Throws `PluginLoadError` when no guest can run it, and
 * `PluginSandboxUnavailableError` when a `'process'` plugin needs a sandbox the OS cannot give.
 */
export function createIsolatedRecord(options: IsolatedRecordOptions): PluginRecord {
  const { declaredClass, origin, mode, context, sandbox, guardPermissions, fail } = options;
  const metadata = getPluginMetadata(declaredClass)!;
  const label = `plugin "${metadata.name}"`;
  const moduleFile = origin.file ?? pluginModuleFileOf(declaredClass);
  if (moduleFile === undefined) {
    throw new PluginLoadError(label, `it runs isolated (${mode}), but its module file is unknown: load it from a file, pluginsDir or a package, or declare @Plugin({ isolation })`);
  }
  // Refused before anything is registered or started; every guest start checks again.
  if (mode === 'process') sandboxCommandFor(metadata.name, sandbox);
  const methods = new Map<string, ExposedMethod>();
  let record: PluginRecord | undefined;
  const isolated = new IsolatedPlugin({
    mode,
    moduleFile,
    context,
    limits: metadata.resourceLimits ?? {},
    restart: metadata.restart ?? {},
    env: metadata.env ?? [],
    sandbox,
    claimWarmGuest: () => claimWarmGuest(declaredClass),
    methods,
    guardPermissions,
    serveControllers: (routes, forward) => options.serveControllers(() => proxiedControllerRouter(metadata.name, routes, options.globalPrefix(), forward, options.inRequestTenant)),
    onRestarting: (error, restart) => options.restarting(record!, error, restart),
    onGiveUp: (error) => fail(record!, error),
    onRestart: () => record!.meter.restarts++,
  });
  record = new PluginRecord(declaredClass, metadata, (metadata.dependencies ?? []).map(normalizeDependency), isolated, methods, origin);
  record.isolation = isolated;
  return record;
}
