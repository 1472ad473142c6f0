import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsNumber, IsOptional, IsPositive, IsString, MaxLength } from 'class-validator';
import { IsJsonValuePresent } from './is-json-value-present.decorator.js';

export class SetSharedDataDto {
  @ApiProperty({ example: 'crm' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  namespace!: string;

  @ApiProperty({ example: 'lastSyncTime' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  key!: string;

  @ApiProperty({ description: 'any JSON value, null included', nullable: true })
  @IsJsonValuePresent()
  value!: unknown;

  @ApiPropertyOptional({
    example: 'plugin-crm',
    description: "the plugin that owns the key; only it may change or delete it. Required with the operator key; a plugin key's own plugin otherwise",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  ownerId?: string;

  @ApiPropertyOptional({ description: 'seconds until the entry expires' })
  @IsOptional()
  @IsNumber()
  @IsPositive()
  ttl?: number;
}
