import { BadRequestException, Body, Get, HttpCode, Inject, Param, ParseBoolPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { isAbsolute, relative, resolve } from 'node:path';
import { PLUGIN_GRAPH_FORMATS, type PluginGraphFormat } from '../../graph/render-plugin-graph.js';
import type { PluginInfo } from '../../interfaces/plugin-state.interface.js';
import { PluginRegistry } from '../../registry/plugin.registry.js';
import type { PurgeReport } from '../../migrations/plugin-purger.js';
import { PluginManager } from '../../runtime/plugin.manager.js';
import { HostPaths } from '../host-paths.js';
import type { InstalledOrigin } from '../../install/installed-origin.js';
import { InstallPluginDto } from '../dto/install-plugin.dto.js';
import { LoadPluginDto } from '../dto/load-plugin.dto.js';
import { LoadPluginSourceDto } from '../dto/load-plugin-source.dto.js';
import { RevertPluginDto } from '../dto/revert-plugin.dto.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from '../plugin-gateway-module.options.js';
import { PluginLoadSources } from '../plugin-load-sources.js';
import { GatewayRoutes } from './gateway-routes.decorator.js';

/** A plugin as the admin routes show it: no error objects, which do not serialize, and no host path in the message. */
interface PluginSummary {
  name: string;
  version: string;
  state: string;
  description?: string;
  error?: string;
}

/** JSON is served as JSON (clients parse it by its type); Mermaid and DOT are source text. */
const GRAPH_CONTENT_TYPES: Record<PluginGraphFormat, string> = {
  mermaid: 'text/plain; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function summarize(info: PluginInfo, paths: HostPaths): PluginSummary {
  return {
    name: info.name,
    version: info.version,
    state: info.state,
    ...(info.metadata.description === undefined ? {} : { description: info.metadata.description }),
    ...(info.error === undefined ? {} : { error: paths.hide(info.error.message) }),
  };
}

@GatewayRoutes('plugins', 'plugins', { perTenant: false })
@OperatorOnly()
export class PluginsAdminController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly manager: PluginManager,
    @Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) private readonly options: PluginGatewayModuleOptions,
    private readonly paths: HostPaths,
    private readonly sources: PluginLoadSources,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every registered plugin and its state' })
  list(): { plugins: PluginSummary[]; count: number } {
    const plugins = this.registry.list().map((info) => summarize(info, this.paths));
    return { plugins, count: plugins.length };
  }

  @Get('graph')
  @ApiOperation({ summary: 'The dependency graph with states' })
  @ApiQuery({ name: 'format', required: false, enum: PLUGIN_GRAPH_FORMATS })
  graph(@Query('format') format: string = 'mermaid', @Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }): string {
    if (!(PLUGIN_GRAPH_FORMATS as readonly string[]).includes(format)) {
      throw new BadRequestException(`format must be one of ${PLUGIN_GRAPH_FORMATS.join(', ')}`);
    }
    response.setHeader('Content-Type', GRAPH_CONTENT_TYPES[format as PluginGraphFormat]);
    return this.registry.graph(format as PluginGraphFormat);
  }

  @Post('load')
  @ApiOperation({ summary: 'Load a compiled plugin file from runtimePluginsDir, or an installed plugin package' })
  async load(@Body() { file, package: packageName }: LoadPluginSourceDto): Promise<PluginSummary> {
    if (file !== undefined && packageName !== undefined) throw new BadRequestException('give either file or package, not both');
    const source = packageName === undefined ? this.pluginFile(file!) : await this.sources.packageToLoad(packageName);
    return summarize(await this.manager.load(source), this.paths);
  }

  @Post('install')
  @ApiOperation({ summary: 'Install "<name>@<range>" from the registry, verified before any of its code runs, and start it (422 with the reason when refused)' })
  async install(@Body() { spec }: InstallPluginDto): Promise<PluginSummary & { origin: InstalledOrigin }> {
    const installed = await this.manager.install(spec);
    return { ...summarize(installed, this.paths), origin: installed.origin };
  }

  @Get('origins')
  @ApiOperation({ summary: 'Where each plugin installed from a registry came from: registry, version, integrity, signing key id, provenance repository' })
  origins(): Record<string, InstalledOrigin> {
    return this.manager.origins();
  }

  @Post(':name/unload')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unload a plugin (409 while others require it, unless cascade=true)' })
  @ApiQuery({ name: 'cascade', required: false, type: Boolean })
  async unload(@Param('name') name: string, @Query('cascade', new ParseBoolPipe({ optional: true })) cascade = false): Promise<{ unloaded: string }> {
    await this.manager.unload(name, { cascade });
    return { unloaded: name };
  }

  @Post(':name/uninstall')
  @HttpCode(200)
  @ApiOperation({ summary: "Unload a plugin; with purge=true also remove its tables, role, rows, objects and streams for good (409 while others require it)" })
  @ApiQuery({ name: 'purge', required: false, type: Boolean })
  async uninstall(
    @Param('name') name: string,
    @Query('purge', new ParseBoolPipe({ optional: true })) purge = false,
  ): Promise<{ uninstalled: string; purged?: PurgeReport }> {
    const { purged } = await this.manager.uninstall(name, { purge });
    return purged === undefined ? { uninstalled: name } : { uninstalled: name, purged };
  }

  @Post(':name/reload')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reload a plugin (a file plugin is imported again)' })
  async reload(@Param('name') name: string): Promise<PluginSummary> {
    return summarize(await this.manager.reload(name), this.paths);
  }

  @Post(':name/upgrade')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run another version of a plugin from a file in runtimePluginsDir: drain, migrate, start; on failure the old version runs again (422)' })
  async upgrade(@Param('name') name: string, @Body() { file }: LoadPluginDto): Promise<PluginSummary> {
    return summarize(await this.manager.upgrade(name, this.pluginFile(file)), this.paths);
  }

  @Post(':name/revert')
  @HttpCode(200)
  @ApiOperation({ summary: "Run the down of the plugin's migrations after `to`, newest first; the plugin is unloaded first and stays unloaded" })
  async revert(@Param('name') name: string, @Body() { to }: RevertPluginDto): Promise<{ reverted: string[] }> {
    return { reverted: await this.manager.revert(name, { to }) };
  }

  /** Only files inside runtimePluginsDir: a request must not name any file on the machine. */
  private pluginFile(file: string): string {
    const directory = this.options.runtimePluginsDir;
    if (directory === undefined) throw new BadRequestException('Loading over HTTP is off: set runtimePluginsDir in PluginGatewayModule.forRoot');
    const root = resolve(directory);
    const path = resolve(root, file);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new BadRequestException(`file must be inside runtimePluginsDir (got "${file}")`);
    return path;
  }
}
