import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class InstallPluginDto {
  @ApiProperty({ example: '@acme/nest-plugin-billing@^1', description: 'a registry package and a semver range or dist-tag: "<name>@<range>"' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  spec!: string;
}
