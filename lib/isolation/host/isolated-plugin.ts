import { BadGatewayException, GatewayTimeoutException, Logger, ServiceUnavailableException } from '@nestjs/common';
import { pathToFileURL } from 'node:url';
import { PluginCallContext } from '../../context/plugin-call-context.js';
import { PluginCrashedError } from '../../errors/index.js';
import { ANSWER_TOO_LARGE, type GuestFunctions, type HostFunctions, type WireExposedMethod, type WireHttpRequest, type WireHttpResponse, type WireRequest, type WireResponse } from '../guest-protocol.js';
import { openRpcChannel, type RpcChannel } from '../rpc-channel.js';
import type { PluginRestartInfo } from '../../interfaces/plugin-state.interface.js';
import { RestartPolicy } from '../restart-policy.js';
import { launchGuest, type LaunchedGuest } from './guest-launcher.js';
import { residentBytesOfTree } from './guest-memory.js';
import { GuestSession } from './guest-session.js';
import { PendingCalls } from './pending-calls.js';
import { ProxiedRoutes } from './proxied-routes.js';
import type { IsolatedPluginOptions } from './isolated-plugin-options.js';
import { MAX_PROXIED_BODY_BYTES } from './proxied-controllers.js';

interface LiveGuest {
  readonly process: LaunchedGuest;
  readonly rpc: RpcChannel<GuestFunctions, HostFunctions>;
  readonly session: GuestSession;
  readonly pending: PendingCalls;
  /** booted and initialized: calls go to it only then */
  ready: boolean;
  /** a call ran past its deadline: the calls it never took up say so */
  stuck: boolean;
}

/** Long enough for real work (a timeout kills the guest and all its calls), short enough that a hang ends (docs/isolation.md). */
const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** Booting a Nest context takes longer than a call; never less than this. */
const MIN_START_TIMEOUT_MS = 30_000;

/**
 * An isolated plugin as the host sees it: the record's instance (`onPluginInit` starts the
 * guest, `onPluginDestroy` stops it) and the target of its exposed methods. A guest that dies
 * or does not answer in time is a crash: calls in flight reject with `PluginCrashedError`, and
 * it is started again after a back-off until the restart policy gives up.
 */
export class IsolatedPlugin {
  private readonly logger: Logger;
  private readonly policy: RestartPolicy;
  private readonly routes: ProxiedRoutes;
  private readonly callTimeoutMs: number;
  private live?: LiveGuest;
  private lastCrash = 'it is not running';
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;
  private started = false;
  /** the controllers' routes stay mounted across restarts: the next guest serves the same code */
  private controllersServed = false;
  /** between a crash and the end of the restart that follows it */
  private restartUnderway?: PluginRestartInfo;

  constructor(private readonly options: IsolatedPluginOptions) {
    this.logger = new Logger(`PluginHost:${options.context.plugin.name}`);
    this.policy = new RestartPolicy(options.restart);
    this.routes = new ProxiedRoutes(options.context, (guest, route, request, label) => this.route(guest, route, request, label));
    this.callTimeoutMs = options.limits.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  private get name(): string {
    return this.options.context.plugin.name;
  }

  /** True while the plugin is down between a crash and its restart. */
  get unresponsive(): boolean {
    return this.restartUnderway !== undefined;
  }

  /** The running process guest's resident memory (its process tree), in bytes; undefined for a thread or while no guest runs. */
  memoryBytes(): number | undefined {
    const pid = this.live?.process.pid;
    return pid === undefined ? undefined : residentBytesOfTree(pid);
  }

  /** Which restart is under way and why, while one is. */
  get restarting(): PluginRestartInfo | undefined {
    return this.restartUnderway;
  }

  /** Starts the guest; a guest that fails to start fails the plugin's start (no restart). */
  async onPluginInit(): Promise<void> {
    await this.launch();
    this.started = true;
  }

  async onPluginDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const live = this.live;
    this.live = undefined;
    if (live === undefined) return;
    try {
      await this.withinDeadline(live, live.rpc.destroy(), this.callTimeoutMs, 'did not stop in time');
    } finally {
      live.rpc.$close(new PluginCrashedError(this.name, 'it was unloaded'));
      await live.session.dispose();
      await live.process.terminate();
    }
  }

  /** One exposed method's call: the host names the caller and tenant, the guest runs it. */
  invoke(method: string, args: unknown[]): Promise<unknown> {
    const live = this.live;
    // While a restart boots, calls fail at once rather than wait on a guest that may crash again.
    if (live === undefined || !live.ready) return Promise.reject(new PluginCrashedError(this.name, this.lastCrash));
    const { callerPluginId, tenantId, tenantSlug } = PluginCallContext.current();
    const call = live.pending.add(callerPluginId);
    const answer = live.rpc.invoke(method, args, { callerPluginId, tenantId, tenantSlug }, call).catch((error: unknown) => {
      // Closed because another call hung: this one waited in the queue and never ran.
      const queued = live.stuck && !live.pending.isStarted(call) && error instanceof PluginCrashedError;
      throw queued ? new PluginCrashedError(this.name, `the guest did not take up "${method}": it was stuck in another call`) : error;
    });
    const timedOut = () =>
      live.pending.isStarted(call) ? `did not answer "${method}" within ${this.callTimeoutMs} ms` : `did not take up "${method}" within ${this.callTimeoutMs} ms: the guest is stuck`;
    return this.withinDeadline(live, answer, this.callTimeoutMs, timedOut);
  }

  /** One request to the plugin's Nest controllers, in the request's tenant, under the call timeout; failures as the HTTP errors the client gets. */
  request(request: WireHttpRequest, label: string): Promise<WireHttpResponse> {
    const { tenantId, tenantSlug } = PluginCallContext.current();
    const send = (rpc: LiveGuest['rpc']) =>
      rpc.handleRequest(request, { tenantId, tenantSlug }, MAX_PROXIED_BODY_BYTES).then((response) => {
        if (response.body.byteLength <= MAX_PROXIED_BODY_BYTES) return response;
        throw new Error(`its answer is larger than ${MAX_PROXIED_BODY_BYTES} bytes`);
      });
    // The guest's Nest answers its handlers' errors itself: any rejection is the channel's.
    return this.answerHttp(this.live?.rpc, send, label, () => true);
  }

  /** One request to a `ctx.http` route of `guest`, in the request's tenant, as `request`; what the handler throws passes through. */
  private route(guest: LiveGuest['rpc'], route: number, request: WireRequest, label: string): Promise<WireResponse> {
    const { tenantId, tenantSlug } = PluginCallContext.current();
    const send = (rpc: LiveGuest['rpc']) => rpc.handleRoute(route, request, { tenantId, tenantSlug }, MAX_PROXIED_BODY_BYTES);
    return this.answerHttp(guest, send, label, (error) => (error as { code?: unknown }).code === ANSWER_TOO_LARGE);
  }

  /** 503 while restarting, 504 (and a restart, as after a hung call) past the call timeout, 502 for what `fromChannel` says. */
  private answerHttp<T>(guest: LiveGuest['rpc'] | undefined, send: (rpc: LiveGuest['rpc']) => Promise<T>, label: string, fromChannel: (error: unknown) => boolean): Promise<T> {
    const live = this.live;
    if (live === undefined || !live.ready || live.rpc !== guest) return Promise.reject(new ServiceUnavailableException(`Plugin "${this.name}" is restarting`));
    let timedOut = false;
    const late = `did not answer ${label} within ${this.callTimeoutMs} ms`;
    return this.withinDeadline(live, send(live.rpc), this.callTimeoutMs, () => ((timedOut = true), late)).catch((error: unknown) => {
      if (timedOut) throw new GatewayTimeoutException(`Plugin "${this.name}" ${late}`);
      if (error instanceof PluginCrashedError) throw new ServiceUnavailableException(error.message);
      if (!fromChannel(error)) throw error;
      throw new BadGatewayException(`Plugin "${this.name}" could not answer ${label}: ${(error as Error).message}`);
    });
  }

  private async launch(onCrashWhileStarting: () => void = () => undefined): Promise<void> {
    const process = this.takeWarmGuest() ?? launchGuest({
      mode: this.options.mode,
      moduleFile: this.options.moduleFile,
      maxOldGenerationSizeMb: this.options.limits.maxOldGenerationSizeMb,
      pluginName: this.name,
      env: this.options.env,
      sandbox: this.options.sandbox,
    });
    const pending = new PendingCalls(process.callsStarted);
    const session = new GuestSession(this.options.context, this.routes, pending);
    const rpc = await openRpcChannel<GuestFunctions, HostFunctions>(session, process.endpoint);
    session.attach(rpc);
    const live: LiveGuest = { process, rpc, session, pending, ready: false, stuck: false };
    this.live = live;
    // A process's reason is its exit code, a thread's the error's message already: add the error where it is not there.
    process.onExit((reason, error) => this.crash(live, error === undefined || firstLine(error).includes(reason) ? reason : `${reason}: ${firstLine(error)}`, error));
    const startTimeoutMs = Math.max(this.callTimeoutMs, MIN_START_TIMEOUT_MS);
    try {
      const exposed = await this.withinDeadline(
        live,
        rpc.boot({ moduleUrl: pathToFileURL(this.options.moduleFile).href, pluginName: this.name, config: { ...this.options.context.config } }),
        startTimeoutMs,
        'did not start in time',
      );
      if (this.options.methods.size === 0) this.exposeMethods(exposed);
      if (!this.controllersServed) await this.serveControllers(live, startTimeoutMs);
      await this.withinDeadline(live, rpc.init(), startTimeoutMs, 'onPluginInit did not finish in time');
      live.ready = true;
    } catch (error) {
      if (this.live === live) this.live = undefined;
      else onCrashWhileStarting();
      live.rpc.$close(error as Error);
      await live.session.dispose();
      await process.terminate();
      throw error;
    }
  }

  private async serveControllers(live: LiveGuest, timeoutMs: number): Promise<void> {
    const routes = await this.withinDeadline(live, live.rpc.controllerRoutes(), timeoutMs, 'did not report its routes in time');
    if (routes.length > 0) this.options.serveControllers(routes, (request, label) => this.request(request, label));
    this.controllersServed = true;
  }

  /** There is one at most once: restarts start a fresh guest. */
  private takeWarmGuest(): LaunchedGuest | undefined {
    const guest = this.options.claimWarmGuest?.();
    guest?.holdHost(true);
    return guest;
  }

  private exposeMethods(exposed: readonly WireExposedMethod[]): void {
    for (const method of exposed) {
      const invoke = (...args: unknown[]) => this.invoke(method.name, args);
      this.options.methods.set(method.name, {
        name: method.name,
        owner: `${this.name} (isolated).${method.name}`,
        target: this,
        fn: method.permissions.length === 0 ? invoke : this.options.guardPermissions(invoke, method),
      });
    }
  }

  /** `result`, unless the guest is past `timeoutMs`: then it is hung, and everything in flight fails as a crash. */
  private withinDeadline<T>(live: LiveGuest, result: Promise<T>, timeoutMs: number, why: string | (() => string)): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const reason = typeof why === 'string' ? why : why();
        live.stuck = true;
        reject(new PluginCrashedError(this.name, reason));
        this.crash(live, reason);
      }, timeoutMs);
      result.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** `error`: the stack of the uncaught error the guest died of, for the log. */
  private crash(live: LiveGuest, reason: string, error?: string): void {
    if (this.live !== live) return;
    this.live = undefined;
    this.lastCrash = reason;
    live.rpc.$close(new PluginCrashedError(this.name, reason));
    void live.session.dispose();
    void live.process.terminate();
    // A guest that fails its first start fails the plugin's start instead.
    if (this.started && !this.stopped) this.restartLater(reason, error);
  }

  private restartLater(reason: string, error?: string): void {
    this.logger.error(`Plugin "${this.name}" crashed: ${reason}`, ...(error === undefined ? [] : [error]));
    const delay = this.policy.afterCrash(Date.now());
    const { maxRestarts, windowMs, recentCrashes } = this.policy;
    if (delay === undefined) {
      this.restartUnderway = undefined;
      this.stopped = true;
      this.logger.error(`Plugin "${this.name}" gave up: ${recentCrashes} crashes within ${windowMs} ms, more than restart.maxRestarts (${maxRestarts}); it stays failed until reloaded`);
      this.options.onGiveUp(new PluginCrashedError(this.name, `${reason} (too many crashes; not restarted again)`));
      return;
    }
    this.restartUnderway = { attempt: recentCrashes, maxRestarts, reason };
    this.options.onRestart?.();
    this.logger.warn(`Plugin "${this.name}": restart ${recentCrashes} of ${maxRestarts} in ${delay} ms (crashed: ${reason})`);
    this.options.onRestarting(new PluginCrashedError(this.name, reason), this.restartUnderway);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    let crashedWhileStarting = false;
    try {
      await this.launch(() => (crashedWhileStarting = true));
      this.restartUnderway = undefined;
    } catch (error) {
      // A guest that died while starting was counted as a crash already; one that refused to start was not.
      if (!crashedWhileStarting && !this.stopped) this.restartLater((error as Error).message);
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}
