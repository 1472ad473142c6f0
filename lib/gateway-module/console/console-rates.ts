import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PluginMetrics } from '../../observability/metrics/plugin-metrics.js';
import { RateWindow, type PluginRates } from '../../observability/metrics/rate-window.js';

/** How often the console samples the metrics (and its page asks for the rates). */
export const CONSOLE_RATES_TICK_MS = 2000;
/** The span the console's rates cover. */
export const CONSOLE_RATES_WINDOW_MS = 60_000;

/** Per plugin: calls/s, error rate and p95 over the last minute, from samples of the always-on metrics. */
@Injectable()
export class ConsoleRates implements OnModuleInit, OnModuleDestroy {
  readonly #window: RateWindow;
  #timer?: NodeJS.Timeout;

  constructor(metrics: PluginMetrics) {
    this.#window = new RateWindow(metrics, CONSOLE_RATES_WINDOW_MS);
  }

  onModuleInit(): void {
    this.#window.sample();
    this.#timer = setInterval(() => this.#window.sample(), CONSOLE_RATES_TICK_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  rates(): { windowSeconds: number; plugins: PluginRates[] } {
    return { windowSeconds: CONSOLE_RATES_WINDOW_MS / 1000, plugins: this.#window.rates() };
  }
}
