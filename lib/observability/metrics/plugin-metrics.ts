import { collectMetricFamilies } from './metric-families.js';
import type { TenantReader } from './method-meter.js';
import type { PluginMetricsOptions } from './metrics-options.js';
import { PluginMeter } from './plugin-meter.js';
import { renderPrometheusText } from './prometheus-text.js';
import { useTimingTick } from './timing-tick.js';

/**
 * The metrics of every plugin of one application, always on: plain numbers in per-plugin
 * slots that the hot paths bump, read only when exported (Prometheus text, OpenTelemetry
 * observable instruments, the console's rates). A plugin's meter outlives its unloads, so
 * its counters never go back.
 */
export class PluginMetrics {
  readonly #plugins = new Map<string, PluginMeter>();
  readonly #tenantOf: TenantReader | undefined;
  readonly #stopTimingTick: () => void;
  #stopOpenTelemetry?: () => void;

  constructor(
    options: PluginMetricsOptions = {},
    /** the tenant of the code running now; read per call only with `tenantLabel` */
    tenantOf?: TenantReader,
    /** false: every meter counts nothing (the bench compares the two) */
    readonly enabled = true,
  ) {
    this.#tenantOf = options.tenantLabel === true ? tenantOf : undefined;
    this.#stopTimingTick = enabled ? useTimingTick() : () => undefined;
  }

  get tenantLabel(): boolean {
    return this.#tenantOf !== undefined;
  }

  /** The meter of plugin `name`, created on first use. */
  plugin(name: string): PluginMeter {
    let meter = this.#plugins.get(name);
    if (meter === undefined) this.#plugins.set(name, (meter = new PluginMeter(name, this.enabled, this.#tenantOf)));
    return meter;
  }

  /**
   * Nest's hook: when `@opentelemetry/api` is installed, the metrics are published through
   * its global meter provider (register the SDK's before the application boots); without it,
   * nothing of OpenTelemetry is loaded.
   */
  async onApplicationBootstrap(): Promise<void> {
    const api = await import('@opentelemetry/api').catch(() => undefined);
    if (api === undefined) return;
    const { OPENTELEMETRY_METER_NAME, publishThroughOpenTelemetry } = await import('./opentelemetry-export.js');
    this.#stopOpenTelemetry = publishThroughOpenTelemetry(() => collectMetricFamilies(this.plugins()), api.metrics.getMeter(OPENTELEMETRY_METER_NAME));
  }

  onApplicationShutdown(): void {
    this.#stopTimingTick();
    this.#stopOpenTelemetry?.();
    this.#stopOpenTelemetry = undefined;
  }

  /** Every metric in the Prometheus text format, as `GET /api/plugin-gateway/metrics` serves it. */
  prometheusText(): string {
    return renderPrometheusText(collectMetricFamilies(this.plugins()));
  }

  /** Every plugin's meter, in the order they were first met. */
  plugins(): IterableIterator<PluginMeter> {
    return this.#plugins.values();
  }
}
