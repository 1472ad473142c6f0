import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ServiceRegistry } from '../../services/registry/service.registry.js';
import type { ServiceInstance, ServiceState } from '../../services/registry/service.types.js';
import { RegisterServiceDto } from '../dto/register-service.dto.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

@GatewayRoutes('services', 'services', { perTenant: true })
export class ServicesController {
  constructor(private readonly services: ServiceRegistry) {}

  @Post('register')
  @ApiOperation({ summary: 'Register a remote service for the tenant' })
  register(@Body() registration: RegisterServiceDto): { success: true; serviceId: string; service: ServiceInstance } {
    const service = this.services.register(registration);
    return { success: true, serviceId: service.id, service };
  }

  @Delete(':pluginId/:serviceName')
  @ApiOperation({ summary: 'Deregister a remote service' })
  deregister(@Param('pluginId') pluginId: string, @Param('serviceName') serviceName: string): { success: boolean } {
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
  @ApiOperation({ summary: 'A remote service says it is alive' })
  heartbeat(@Param('serviceId') serviceId: string): { success: true; state: ServiceState } {
    return { success: true, state: this.services.heartbeat(serviceId).state };
  }
}
