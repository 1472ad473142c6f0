import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PluginDependencyRegistry } from '../../services/dependencies/plugin-dependency.registry.js';
import type { DependencyResolution, ServiceDependency, UninstallCheck } from '../../services/dependencies/service-dependency.types.js';
import { RegisterDependenciesDto } from '../dto/register-dependencies.dto.js';
import { actingPluginId, type GatewayCaller } from '../keys/gateway-caller.js';
import { RequestCaller } from '../keys/request-caller.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

@GatewayRoutes('dependencies', 'dependencies', { perTenant: true })
export class DependenciesController {
  constructor(private readonly dependencies: PluginDependencyRegistry) {}

  @Post()
  @ApiOperation({ summary: 'Declare dependencies of remote plugins (a plugin key: its own only)' })
  register(@Body() registration: RegisterDependenciesDto, @RequestCaller() caller: GatewayCaller): { success: true; dependencies: ServiceDependency[] } {
    actingPluginId(caller, ...registration.dependencies.map(({ pluginId }) => ({ pluginId, source: 'pluginId' as const })));
    return { success: true, dependencies: this.dependencies.register(registration.dependencies) };
  }

  @Post(':pluginId/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether every required dependency of the plugin is available, with errors, warnings and the install order' })
  resolve(@Param('pluginId') pluginId: string): DependencyResolution {
    return this.dependencies.resolve(pluginId);
  }

  @Get(':pluginId')
  @ApiOperation({ summary: 'What the plugin depends on (local metadata and registrations)' })
  dependenciesOf(@Param('pluginId') pluginId: string): { pluginId: string; dependencies: ServiceDependency[]; count: number } {
    const dependencies = this.dependencies.dependenciesOf(pluginId);
    return { pluginId, dependencies, count: dependencies.length };
  }

  @Get(':pluginId/dependents')
  @ApiOperation({ summary: 'Plugins that depend on it' })
  dependentsOf(@Param('pluginId') pluginId: string): { pluginId: string; dependents: string[]; count: number } {
    const dependents = [...new Set(this.dependencies.dependentsOf(pluginId).map((dependency) => dependency.pluginId))];
    return { pluginId, dependents, count: dependents.length };
  }

  @Post(':pluginId/can-uninstall')
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether removing the plugin would break a plugin that requires it (blockedBy: [{ pluginId, reason }])' })
  canUninstall(@Param('pluginId') pluginId: string): UninstallCheck {
    return this.dependencies.canUninstall(pluginId);
  }
}
