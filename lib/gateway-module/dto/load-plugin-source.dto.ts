import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, ValidateIf } from 'class-validator';

/** What the load route loads: a file in runtimePluginsDir, or an installed plugin package; exactly one. */
export class LoadPluginSourceDto {
  @ApiPropertyOptional({ example: 'badges/badges.plugin.js', description: 'a compiled plugin file, relative to runtimePluginsDir' })
  @ValidateIf((body: LoadPluginSourceDto) => body.package === undefined || body.file !== undefined)
  @IsString()
  @IsNotEmpty()
  @Matches(/\.plugin\.m?js$/, { message: 'file must be a compiled *.plugin.js or *.plugin.mjs file' })
  file?: string;

  @ApiPropertyOptional({ example: '@acme/nest-plugin-billing', description: 'an installed plugin package, by name (instead of file)' })
  @ValidateIf((body: LoadPluginSourceDto) => body.package !== undefined)
  @IsString()
  @IsNotEmpty()
  package?: string;
}
