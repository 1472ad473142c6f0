import type { DefaultPluginContext } from '../../context/plugin-context.js';
import type { PluginCrashedError } from '../../errors/index.js';
import type { IsolationLimits, RestartOptions, SandboxMode } from '../../interfaces/isolation-options.interface.js';
import type { PluginRestartInfo } from '../../interfaces/plugin-state.interface.js';
import type { ExposedMethod } from '../../registry/exposed-method.js';
import type { WireExposedMethod, WireRoute } from '../guest-protocol.js';
import type { LaunchedGuest } from './guest-launcher.js';
import type { ForwardRequest } from './proxied-controllers.js';

/** What `IsolatedPlugin` is given: the plugin's module and context, its limits, and the host's hooks. */
export interface IsolatedPluginOptions {
  readonly mode: 'thread' | 'process';
  readonly moduleFile: string;
  readonly context: DefaultPluginContext;
  readonly limits: IsolationLimits;
  readonly restart: RestartOptions;
  /** process mode: the host environment variables the guest receives (`@Plugin({ env })`) */
  readonly env: readonly string[];
  /** process mode: `forRoot({ sandbox })` */
  readonly sandbox: SandboxMode;
  /** the process that described the plugin, its module imported already, if it is still kept: the first start takes it over */
  readonly claimWarmGuest?: () => LaunchedGuest | undefined;
  /** filled with one entry per exposed method once the guest has booted */
  readonly methods: Map<string, ExposedMethod>;
  /** wraps a method that requires permissions of its callers (the host checks them) */
  readonly guardPermissions: (fn: ExposedMethod['fn'], method: WireExposedMethod) => ExposedMethod['fn'];
  /** mounts the routes of the plugin's Nest controllers on the host, once its first guest reported them */
  readonly serveControllers: (routes: readonly WireRoute[], forward: ForwardRequest) => void;
  /** a crash is to be restarted (the console's Activity shows it) */
  readonly onRestarting: (error: PluginCrashedError, restart: PluginRestartInfo) => void;
  /** the crash-loop breaker tripped: the plugin is to be marked `failed` */
  readonly onGiveUp: (error: PluginCrashedError) => void;
  /** a restart after a crash was scheduled (counted in the plugin's metrics) */
  readonly onRestart?: () => void;
}
