import { BadRequestException, Controller, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { join } from 'node:path';
import { PluginManager, type PluginInfo } from 'nestjs-plugins';
import { PluginErrorFilter } from './plugin-error.filter.js';
import { RUNTIME_PLUGIN_EXTENSION, RUNTIME_PLUGINS_DIR } from './runtime-plugins.js';

const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Loads, unloads and reloads plugins while the sample runs. It only loads plugins from the
 * sample's own plugins/runtime folder, by name: a route that imports any path it is given
 * would run any code on the server. No authentication: this is a sample, not an admin API.
 */
@Controller('admin/plugins')
@UseFilters(PluginErrorFilter)
export class AdminController {
  constructor(private readonly manager: PluginManager) {}

  @Post(':name/load')
  load(@Param('name') name: string): Promise<PluginInfo> {
    return this.manager.load(runtimePluginFile(name));
  }

  @Post(':name/unload')
  @HttpCode(200)
  async unload(@Param('name') name: string, @Query('cascade') cascade?: string): Promise<{ unloaded: string }> {
    await this.manager.unload(name, { cascade: cascade === 'true' });
    return { unloaded: name };
  }

  @Post(':name/reload')
  @HttpCode(200)
  reload(@Param('name') name: string): Promise<PluginInfo> {
    return this.manager.reload(name);
  }
}

function runtimePluginFile(name: string): string {
  if (!PLUGIN_NAME.test(name)) throw new BadRequestException('plugin name must be kebab-case');
  return join(RUNTIME_PLUGINS_DIR, name, `${name}.plugin${RUNTIME_PLUGIN_EXTENSION}`);
}
