import { BadRequestException, Body, Delete, Get, Headers, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { SharedDataService } from '../../services/shared-data/shared-data.service.js';
import { SetSharedDataDto } from '../dto/set-shared-data.dto.js';
import { actingPluginId, type GatewayCaller } from '../keys/gateway-caller.js';
import { RequestCaller } from '../keys/request-caller.decorator.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

@GatewayRoutes('shared-data', 'shared-data', { perTenant: true })
export class SharedDataController {
  constructor(private readonly sharedData: SharedDataService) {}

  @Post()
  @ApiOperation({ summary: 'Create or update a key (only its owner may update it)' })
  async set(@Body() entry: SetSharedDataDto, @RequestCaller() caller: GatewayCaller): Promise<{ success: true }> {
    const ownerId = actingPluginId(caller, { pluginId: entry.ownerId, source: 'ownerId' });
    if (ownerId === undefined) throw new BadRequestException('ownerId is required with the operator key');
    await this.sharedData.set(entry.namespace, entry.key, entry.value, { ownerId, ...(entry.ttl === undefined ? {} : { ttl: entry.ttl }) });
    return { success: true };
  }

  @Get(':namespace/:key')
  @ApiOperation({ summary: 'Read a key (404 when absent or expired)' })
  async get(@Param('namespace') namespace: string, @Param('key') key: string): Promise<{ namespace: string; key: string; value: unknown; ownerId: string; expiresAt?: string }> {
    const entry = await this.sharedData.getEntry(namespace, key);
    if (entry === undefined) throw new NotFoundException(`No shared data "${namespace}/${key}"`);
    return { namespace, key, value: entry.value, ownerId: entry.ownerId, ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }) };
  }

  @Delete(':namespace/:key')
  @ApiOperation({ summary: 'Delete a key (only its owner may)' })
  @ApiHeader({ name: 'X-Caller-Plugin-ID', required: false, description: "the plugin deleting the key, which must own it: required with the operator key, a plugin key's own plugin otherwise" })
  async delete(
    @Param('namespace') namespace: string,
    @Param('key') key: string,
    @RequestCaller() caller: GatewayCaller,
    @Headers('x-caller-plugin-id') callerHeader?: string,
  ): Promise<{ success: boolean }> {
    const ownerId = actingPluginId(caller, { pluginId: callerHeader, source: 'X-Caller-Plugin-ID' });
    if (ownerId === undefined) throw new BadRequestException('the X-Caller-Plugin-ID header is required to delete');
    return { success: await this.sharedData.delete(namespace, key, ownerId) };
  }

  @Get(':namespace')
  @ApiOperation({ summary: 'Keys of a namespace' })
  @ApiQuery({ name: 'ownerId', required: false, description: 'only the keys this plugin owns (a filter: any key may list any owner)' })
  async list(@Param('namespace') namespace: string, @Query('ownerId') ownerId?: string): Promise<{ namespace: string; keys: string[]; count: number }> {
    const keys = await this.sharedData.list(namespace, ownerId === undefined ? {} : { ownerId });
    return { namespace, keys, count: keys.length };
  }
}
