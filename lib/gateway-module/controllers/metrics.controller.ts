import { Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { PluginMetrics } from '../../observability/metrics/plugin-metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../observability/metrics/prometheus-text.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

/** Every plugin's metrics for a Prometheus scrape (docs/metrics.md); the operator's key only, as they describe every plugin. */
@GatewayRoutes('metrics', 'metrics', { perTenant: false })
@OperatorOnly()
export class MetricsController {
  constructor(private readonly metrics: PluginMetrics) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: "Every plugin's calls, errors, durations, SQL, topic, bucket, restart and guest-memory metrics, as Prometheus text" })
  @ApiProduces(PROMETHEUS_CONTENT_TYPE)
  scrape(): string {
    return this.metrics.prometheusText();
  }
}
