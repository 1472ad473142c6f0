import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsBoolean, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsSemverRange } from './is-semver-range.decorator.js';

export class DependencyDto {
  @ApiProperty({ example: 'plugin-analytics' })
  @IsString()
  @IsNotEmpty()
  pluginId!: string;

  @ApiProperty({ example: 'plugin-crm' })
  @IsString()
  @IsNotEmpty()
  dependsOnPluginId!: string;

  @ApiProperty({ example: '^1.0.0' })
  @IsSemverRange()
  version!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  reason?: string;
}

export class RegisterDependenciesDto {
  @ApiProperty({ type: [DependencyDto] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => DependencyDto)
  dependencies!: DependencyDto[];
}
