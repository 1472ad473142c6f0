import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-key.guard.js';
import { JsonDepthPipe } from '../dto/json-depth.pipe.js';
import { PluginErrorFilter } from '../plugin-error.filter.js';
import { PLUGIN_GATEWAY_PATH } from '../plugin-gateway-module.options.js';
import { TenantScopeInterceptor } from '../tenant-scope.interceptor.js';

/** First, so that validation never walks a body nested deeper than it can. */
const jsonDepth = new JsonDepthPipe();
/** Bodies are checked like any Nest app's: unknown fields refused, every failed rule listed in a 400. */
const validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

export const API_KEY_SECURITY = 'api-key';

/**
 * A controller of the gateway: under `/api/plugin-gateway/<path>`, behind the API key,
 * validated, with library errors answered as JSON with their codes. `perTenant`: the
 * request must name its tenant.
 */
export function GatewayRoutes(path: string, tag: string, { perTenant }: { perTenant: boolean }): ClassDecorator {
  return applyDecorators(
    Controller(`${PLUGIN_GATEWAY_PATH}/${path}`),
    ApiTags(tag),
    ApiSecurity(API_KEY_SECURITY),
    UseGuards(ApiKeyGuard),
    UsePipes(jsonDepth, validation),
    UseFilters(PluginErrorFilter),
    ...(perTenant
      ? [UseInterceptors(TenantScopeInterceptor), ApiHeader({ name: 'X-Tenant-Slug', required: true, description: 'the tenant (or X-Tenant-ID)' })]
      : []),
  );
}
