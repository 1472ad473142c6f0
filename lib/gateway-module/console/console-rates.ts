import { Inject, Injectable, NotFoundException, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Cluster } from '../../cluster/cluster.js';
import { CLUSTER } from '../../cluster/cluster.tokens.js';
import { resolveNodeId } from '../../cluster/node-id.js';
import { nodeStatusAt, type ClusterNodeStatus } from '../../cluster/node-state.js';
import { PluginMetrics } from '../../observability/metrics/plugin-metrics.js';
import { RateWindow, ratesOf, type PluginRates } from '../../observability/metrics/rate-window.js';
import { summedRates } from '../../observability/metrics/summed-rates.js';

/** How often the console samples the metrics (and its page asks for the rates). */
export const CONSOLE_RATES_TICK_MS = 2000;
/** The span the console's rates cover. */
export const CONSOLE_RATES_WINDOW_MS = 60_000;
/** `?node=` for the sum over every live instance. */
export const ALL_INSTANCES = 'all';

/** An instance the rates can be shown for. */
export interface ConsoleRatesNode {
  nodeId: string;
  /** the instance answering */
  self: boolean;
  status: ClusterNodeStatus;
  /** ISO time of the figures: now for this instance, its last heartbeat for the others */
  reportedAt: string;
}

export interface ConsoleRatesView {
  windowSeconds: number;
  /** whose rates these are: a node id, or `all` */
  node: string;
  /** this instance first, then the others (cluster mode) */
  nodes: ConsoleRatesNode[];
  plugins: PluginRates[];
}

/**
 * Per plugin: calls/s, error rate and p95 over the last minute, from samples of the always-on
 * metrics. In cluster mode each heartbeat carries this instance's window (busy plugins only),
 * so any instance's console shows another's rates, or the sum over the live ones, as of their
 * last heartbeat.
 */
@Injectable()
export class ConsoleRates implements OnModuleInit, OnModuleDestroy {
  readonly #window: RateWindow;
  #timer?: NodeJS.Timeout;

  constructor(
    metrics: PluginMetrics,
    @Optional() @Inject(CLUSTER) private readonly cluster: Cluster | null = null,
  ) {
    this.#window = new RateWindow(metrics, CONSOLE_RATES_WINDOW_MS);
  }

  onModuleInit(): void {
    this.#window.sample();
    this.#timer = setInterval(() => this.#window.sample(), CONSOLE_RATES_TICK_MS).unref();
    this.cluster?.publishRates(() => this.#window.totals());
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  /** This instance's rates without `node`; another instance's by its id; the sum of the live ones with `all`. */
  async rates(node?: string): Promise<ConsoleRatesView> {
    const nowMs = Date.now();
    const selfId = this.cluster?.nodeId ?? resolveNodeId(undefined);
    const local = this.#window.totals();
    const others = this.cluster === null ? [] : (await this.cluster.store.nodes()).filter((stored) => stored.nodeId !== selfId);
    const heartbeatMs = this.cluster?.settings.heartbeatIntervalMs ?? 0;
    const nodes: ConsoleRatesNode[] = [
      { nodeId: selfId, self: true, status: 'alive', reportedAt: new Date(nowMs).toISOString() },
      ...others.map((other): ConsoleRatesNode => ({
        nodeId: other.nodeId,
        self: false,
        status: nodeStatusAt(other.heartbeatAtMs, nowMs, heartbeatMs),
        reportedAt: new Date(other.heartbeatAtMs).toISOString(),
      })),
    ];
    const view = (name: string, plugins: PluginRates[]): ConsoleRatesView => ({ windowSeconds: CONSOLE_RATES_WINDOW_MS / 1000, node: name, nodes, plugins });

    if (node === undefined || node === selfId) return view(selfId, local.map(ratesOf));
    if (node === ALL_INSTANCES) {
      const alive = others.filter((other) => nodeStatusAt(other.heartbeatAtMs, nowMs, heartbeatMs) === 'alive');
      return view(ALL_INSTANCES, summedRates([local, ...alive.map((other) => other.rates)]));
    }
    const other = others.find((candidate) => candidate.nodeId === node);
    if (other === undefined) throw new NotFoundException(`No instance "${node}" in the cluster: ask for one of ${nodes.map(({ nodeId }) => `"${nodeId}"`).join(', ')} or "${ALL_INSTANCES}"`);
    // Idle plugins are not published: they show as such, from the plugins its heartbeat lists.
    const busy = new Map(other.rates.map((totals) => [totals.plugin, totals]));
    const idle = other.plugins.filter(({ name }) => !busy.has(name)).map(({ name }) => ({ plugin: name, seconds: 0, calls: 0, errors: 0, buckets: [] }));
    return view(other.nodeId, [...busy.values(), ...idle].map(ratesOf));
  }
}
