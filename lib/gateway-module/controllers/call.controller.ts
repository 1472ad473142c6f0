import { BadRequestException, Body, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation } from '@nestjs/swagger';
import { PluginGateway } from '../../services/gateway/plugin.gateway.js';
import { GatewayCallDto } from '../dto/gateway-call.dto.js';
import { actingPluginId, type GatewayCaller } from '../keys/gateway-caller.js';
import { RequestCaller } from '../keys/request-caller.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

@GatewayRoutes('call', 'call', { perTenant: true })
export class CallController {
  constructor(private readonly gateway: PluginGateway) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Call a declared endpoint of another plugin (local or remote) as the calling plugin (a plugin key's own plugin)" })
  @ApiHeader({ name: 'X-Caller-Plugin-ID', required: false, description: 'the calling plugin, when the body has no callerPluginId' })
  async call(
    @Body() call: GatewayCallDto,
    @RequestCaller() caller: GatewayCaller,
    @Headers('x-caller-plugin-id') callerHeader?: string,
  ): Promise<{ status: number; data: unknown }> {
    const callerPluginId = actingPluginId(caller, { pluginId: call.callerPluginId, source: 'callerPluginId' }, { pluginId: callerHeader, source: 'X-Caller-Plugin-ID' });
    if (callerPluginId === undefined) {
      throw new BadRequestException('callerPluginId (or the X-Caller-Plugin-ID header) is required');
    }
    const response = await this.gateway.call({
      callerPluginId,
      targetPluginId: call.targetPluginId,
      targetServiceName: call.targetServiceName,
      method: call.method,
      path: call.path,
      ...(call.body === undefined ? {} : { body: call.body }),
      ...(call.query === undefined ? {} : { query: call.query }),
    });
    return { status: response.status, data: response.body };
  }
}
