import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches } from 'class-validator';

export class LoadPluginDto {
  @ApiProperty({ example: 'badges/badges.plugin.js', description: 'a compiled plugin file, relative to runtimePluginsDir' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\.plugin\.m?js$/, { message: 'file must be a compiled *.plugin.js or *.plugin.mjs file' })
  file!: string;
}
