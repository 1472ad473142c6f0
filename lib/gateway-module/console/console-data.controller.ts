import { BadRequestException, Get, Header, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PluginCallContext } from '../../context/plugin-call-context.js';
import { PluginRegistry } from '../../registry/plugin.registry.js';
import { ServiceRegistry } from '../../services/registry/service.registry.js';
import { SharedDataService } from '../../services/shared-data/shared-data.service.js';
import { GatewayRoutes } from '../controllers/gateway-routes.decorator.js';
import { OperatorOnly } from '../keys/operator-only.decorator.js';
import { PluginLoadSources, type PluginLoadSourceList } from '../plugin-load-sources.js';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from '../plugin-gateway-module.options.js';
import { consoleKeySetCookie, streamPathBeside } from './console-key-cookie.js';
import { ConsoleGraphRenderer } from './console-graph.renderer.js';
import { ConsolePluginFeed } from './console-plugin-feed.js';
import { servicesByTenant, type ConsolePluginRow, type ConsoleTenantServices } from './console-views.js';

/** A shared-data entry as the console lists it. */
interface ConsoleSharedEntry {
  key: string;
  value: unknown;
  ownerId: string;
  expiresAt?: string;
}

/** The parts of Express's request and response the cookie route uses. */
interface CookieRequest {
  readonly path: string;
  readonly secure: boolean;
  header(name: string): string | undefined;
}
interface CookieResponse {
  setHeader(name: string, value: string): void;
}

/**
 * What the console shows, in the shapes it draws: behind the operator key like the admin
 * routes. Actions go through the admin routes themselves (`/plugins/…`).
 */
@ApiExcludeController()
@GatewayRoutes('console', 'console', { perTenant: false })
@OperatorOnly()
export class ConsoleDataController {
  constructor(
    private readonly feed: ConsolePluginFeed,
    private readonly graph: ConsoleGraphRenderer,
    private readonly services: ServiceRegistry,
    private readonly registry: PluginRegistry,
    private readonly sharedData: SharedDataService,
    private readonly sources: PluginLoadSources,
    @Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) private readonly options: PluginGatewayModuleOptions,
  ) {}

  /**
   * Answers with the cookie the event stream reads the key from, set by the server so that it
   * can be `HttpOnly`: the key sent in the header, already checked (operator only) by the guard.
   */
  @Post('stream-cookie')
  @HttpCode(204)
  streamCookie(@Req() request: CookieRequest, @Res({ passthrough: true }) response: CookieResponse): void {
    const key = request.header(this.options.apiKeyHeader ?? 'X-API-Key');
    // allowAnonymous: the stream asks for no key either.
    if (key === undefined) return;
    response.setHeader('Set-Cookie', consoleKeySetCookie(key, streamPathBeside(request.path, 'stream-cookie'), request.secure));
  }

  @Get('plugins')
  plugins(): { plugins: ConsolePluginRow[] } {
    return { plugins: this.feed.rows() };
  }

  /** What the Load picker offers: plugin files in runtimePluginsDir (relative names) and installed plugin packages. */
  @Get('sources')
  loadable(): Promise<PluginLoadSourceList> {
    return this.sources.list();
  }

  @Get('graph.svg')
  @Header('Content-Type', 'image/svg+xml')
  graphSvg(): Promise<string> {
    return this.graph.svg();
  }

  @Get('services')
  servicesPerTenant(): { tenants: ConsoleTenantServices[] } {
    return { tenants: servicesByTenant(this.services.listAllTenants(), this.registry.list()) };
  }

  @Get('shared-data')
  async sharedDataOf(@Query('tenant') tenantId?: string, @Query('namespace') namespace?: string): Promise<{ tenantId: string; namespace: string; entries: ConsoleSharedEntry[] }> {
    if (!tenantId || !namespace) throw new BadRequestException('tenant and namespace are both required');
    const entries = await PluginCallContext.run({ tenantId }, async () => {
      const found: ConsoleSharedEntry[] = [];
      for (const key of await this.sharedData.list(namespace)) {
        const entry = await this.sharedData.getEntry(namespace, key);
        // expired between the two reads
        if (entry === undefined) continue;
        found.push({ key, value: entry.value, ownerId: entry.ownerId, ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }) });
      }
      return found;
    });
    return { tenantId, namespace, entries };
  }
}
