import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { PluginHealthIndicator } from 'nestjs-plugins';

/** `GET /health`: 200 while every plugin runs and no remote service went silent, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly pluginHealth: PluginHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.pluginHealth.isHealthy('plugins')]);
  }
}
