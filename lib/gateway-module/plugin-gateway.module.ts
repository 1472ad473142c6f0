import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiKeyGuard } from './api-key.guard.js';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console.providers.js';
import { CallController } from './controllers/call.controller.js';
import { DependenciesController } from './controllers/dependencies.controller.js';
import { API_KEY_SECURITY } from './controllers/gateway-routes.decorator.js';
import { PluginsAdminController } from './controllers/plugins-admin.controller.js';
import { MetricsController } from './controllers/metrics.controller.js';
import { PluginLogsController } from './controllers/plugin-logs.controller.js';
import { ServicesController } from './controllers/services.controller.js';
import { SharedDataController } from './controllers/shared-data.controller.js';
import {
  PLUGIN_GATEWAY_MODULE_OPTIONS,
  PLUGIN_GATEWAY_OPENAPI_PATH,
  type PluginGatewayModuleOptions,
} from './plugin-gateway-module.options.js';
import { HostPaths } from './host-paths.js';
import { PluginLoadSources } from './plugin-load-sources.js';
import { validateGatewayOptions } from './keys/validate-gateway-options.js';
import { TenantScopeInterceptor } from './tenant-scope.interceptor.js';

/**
 * The plugin host over HTTP, under `/api/plugin-gateway/…`: the service registry, gateway
 * calls, shared data and remote dependency declarations (per tenant), and plugin admin
 * (list, load, unload, reload, graph). Needs `PluginModule.forRoot()` in the application.
 * The operator's `apiKey` opens every route; a plugin's key (`pluginKeys`) acts as that plugin only.
 * `console: true` adds the admin console page at `/api/plugin-gateway/console`.
 */
@Module({})
export class PluginGatewayModule {
  static forRoot(options: PluginGatewayModuleOptions): DynamicModule {
    validateGatewayOptions(options);
    return {
      module: PluginGatewayModule,
      controllers: [
        ServicesController,
        CallController,
        SharedDataController,
        DependenciesController,
        PluginsAdminController,
        MetricsController,
        PluginLogsController,
        ...(options.console === true ? CONSOLE_CONTROLLERS : []),
      ],
      providers: [
        { provide: PLUGIN_GATEWAY_MODULE_OPTIONS, useValue: options },
        ApiKeyGuard,
        TenantScopeInterceptor,
        HostPaths,
        PluginLoadSources,
        ...(options.console === true ? CONSOLE_PROVIDERS : []),
      ],
    };
  }

  /** The OpenAPI document of the gateway's routes, served (UI and JSON) at `path` (default `api/plugin-gateway/docs`). */
  static setupOpenApi(app: INestApplication, path: string = PLUGIN_GATEWAY_OPENAPI_PATH): OpenAPIObject {
    const config = new DocumentBuilder()
      .setTitle('Plugin gateway')
      .setDescription('Services, calls, shared data and dependencies of plugins (per tenant), and plugin admin')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SECURITY)
      .build();
    const document = SwaggerModule.createDocument(app, config, { include: [PluginGatewayModule] });
    SwaggerModule.setup(path, app, document, { jsonDocumentUrl: `${path}/json` });
    return document;
  }
}
