import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString } from 'class-validator';
import type { ServiceEndpointMethod } from '../../services/registry/service.types.js';

const CALL_METHODS: readonly ServiceEndpointMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export class GatewayCallDto {
  @ApiPropertyOptional({ description: 'the calling plugin; defaults to the X-Caller-Plugin-ID header' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  callerPluginId?: string;

  @ApiProperty({ example: 'plugin-inventory' })
  @IsString()
  @IsNotEmpty()
  targetPluginId!: string;

  @ApiProperty({ example: 'inventory.products' })
  @IsString()
  @IsNotEmpty()
  targetServiceName!: string;

  @ApiProperty({ enum: CALL_METHODS })
  @IsIn(CALL_METHODS)
  method!: ServiceEndpointMethod;

  @ApiProperty({ example: '/products/42' })
  @IsString()
  @IsNotEmpty()
  path!: string;

  @ApiPropertyOptional({ description: 'JSON body forwarded to the service' })
  @IsOptional()
  body?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  query?: Record<string, string>;
}
