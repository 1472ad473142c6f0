import { Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { pluginLogBook } from '../../observability/logs/plugin-log-book.js';
import type { PluginLogEntry } from '../../observability/logs/plugin-log-entry.js';
import { PluginRegistry } from '../../registry/plugin.registry.js';
import { HostPaths } from '../host-paths.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

/** A plugin's recent lines and errors, oldest first, as `GET /api/plugin-gateway/plugins/:name/logs` answers them. */
export interface PluginLogsAnswer {
  plugin: string;
  lines: PluginLogEntry[];
  errors: PluginLogEntry[];
}

@GatewayRoutes('plugins', 'plugins', { perTenant: false })
@OperatorOnly()
export class PluginLogsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly paths: HostPaths,
  ) {}

  @Get(':name/logs')
  @ApiOperation({ summary: "A plugin's recent log lines and errors (bounded rings), with their fields" })
  logs(@Param('name') name: string): PluginLogsAnswer {
    const { lines, errors } = pluginLogBook.of(name);
    if (lines.length === 0 && !this.registry.has(name)) throw new NotFoundException(`No plugin "${name}" is registered or has logged anything`);
    return { plugin: name, lines: lines.map(this.hidePaths), errors: errors.map(this.hidePaths) };
  }

  /** Messages and stacks name the host's files: not over HTTP. */
  private readonly hidePaths = (entry: PluginLogEntry): PluginLogEntry => ({
    ...entry,
    message: this.paths.hide(entry.message),
    ...(entry.stack === undefined ? {} : { stack: this.paths.hide(entry.stack) }),
  });
}
