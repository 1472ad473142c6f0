import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsNotEmpty, IsObject, IsOptional, IsSemVer, IsString, IsUrl, ValidateNested } from 'class-validator';
import type { ServiceEndpointMethod } from '../../services/registry/service.types.js';

const ENDPOINT_METHODS: readonly ServiceEndpointMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export class ServiceEndpointDto {
  @ApiProperty({ enum: ENDPOINT_METHODS })
  @IsIn(ENDPOINT_METHODS)
  method!: ServiceEndpointMethod;

  @ApiProperty({ example: '/contacts/:id', description: '`:name` segments match any one segment' })
  @IsString()
  @IsNotEmpty()
  path!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;
}

export class RegisterServiceDto {
  @ApiProperty({ example: 'plugin-inventory' })
  @IsString()
  @IsNotEmpty()
  pluginId!: string;

  @ApiProperty({ example: 'inventory.products' })
  @IsString()
  @IsNotEmpty()
  serviceName!: string;

  @ApiProperty({ example: '1.0.0' })
  @IsSemVer()
  version!: string;

  @ApiProperty({ example: 'http://127.0.0.1:4100' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl!: string;

  @ApiProperty({ type: [ServiceEndpointDto] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => ServiceEndpointDto)
  endpoints!: ServiceEndpointDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}
