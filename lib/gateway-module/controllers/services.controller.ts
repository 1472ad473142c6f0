import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ServiceNameTakenError } from '../../errors/gateway-key.errors.js';
import { ServiceRegistry } from '../../services/registry/service.registry.js';
import type { ServiceInstance, ServiceState } from '../../services/registry/service.types.js';
import { RegisterServiceDto } from '../dto/register-service.dto.js';
import { actingPluginId, type GatewayCaller } from '../keys/gateway-caller.js';
import { RequestCaller } from '../keys/request-caller.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

@GatewayRoutes('services', 'services', { perTenant: true })
export class ServicesController {
  constructor(private readonly services: ServiceRegistry) {}

  @Post('register')
  @ApiOperation({ summary: 'Register a remote service for the tenant (a plugin key: its own plugin only, and no name another plugin holds)' })
  register(@Body() registration: RegisterServiceDto, @RequestCaller() caller: GatewayCaller): { success: true; serviceId: string; service: ServiceInstance } {
    actingPluginId(caller, { pluginId: registration.pluginId, source: 'pluginId' });
    if (caller.kind === 'plugin') {
      const holder = [...this.services.holdersOf(registration.serviceName)].find((pluginId) => pluginId !== caller.pluginId);
      if (holder !== undefined) throw new ServiceNameTakenError(caller.pluginId, registration.serviceName, holder);
    }
    const service = this.services.register(registration);
    return { success: true, serviceId: service.id, service };
  }

  @Delete(':pluginId/:serviceName')
  @ApiOperation({ summary: 'Deregister a remote service (a plugin key: its own plugin only)' })
  deregister(@Param('pluginId') pluginId: string, @Param('serviceName') serviceName: string, @RequestCaller() caller: GatewayCaller): { success: boolean } {
    actingPluginId(caller, { pluginId, source: 'pluginId' });
    return { success: this.services.deregister(pluginId, serviceName) };
  }

  @Get('discover/:serviceName')
  @ApiOperation({ summary: 'A healthy instance of the service (404 when none)' })
  discover(@Param('serviceName') serviceName: string): { service: ServiceInstance } {
    return { service: this.services.discover(serviceName) };
  }

  @Get()
  @ApiOperation({ summary: 'Services the tenant sees, local plugins included' })
  @ApiQuery({ name: 'serviceName', required: false })
  @ApiQuery({ name: 'pluginId', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['HEALTHY', 'DEGRADED', 'UNAVAILABLE'] })
  list(
    @Query('serviceName') serviceName?: string,
    @Query('pluginId') pluginId?: string,
    @Query('state') state?: ServiceState,
  ): { services: ServiceInstance[]; count: number } {
    const services = this.services.list({
      ...(serviceName === undefined ? {} : { serviceName }),
      ...(pluginId === undefined ? {} : { pluginId }),
      ...(state === undefined ? {} : { state }),
    });
    return { services, count: services.length };
  }

  @Post(':serviceId/heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'A remote service says it is alive (a plugin key: its own services only)' })
  heartbeat(@Param('serviceId') serviceId: string, @RequestCaller() caller: GatewayCaller): { success: true; state: ServiceState } {
    // Else any plugin could keep another's dead service looking healthy.
    if (caller.kind === 'plugin') {
      const service = this.services.list().find((instance) => instance.id === serviceId);
      actingPluginId(caller, { pluginId: service?.pluginId, source: 'serviceId' });
    }
    return { success: true, state: this.services.heartbeat(serviceId).state };
  }
}
