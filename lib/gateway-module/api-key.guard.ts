import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OperatorKeyRequiredError } from '../errors/gateway-key.errors.js';
import { actingPluginId, OPERATOR } from './keys/gateway-caller.js';
import { GatewayKeyTable } from './keys/gateway-key-table.js';
import { OPERATOR_ONLY } from './keys/operator-only.decorator.js';
import { setRequestCaller } from './keys/request-caller.decorator.js';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from './plugin-gateway-module.options.js';

const DEFAULT_API_KEY_HEADER = 'x-api-key';
const CALLER_HEADER = 'x-caller-plugin-id';

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * Every gateway route asks for a key, unless the host chose `allowAnonymous: true` (then every
 * request is the operator's). The key says who calls: the operator, or one plugin, which may
 * neither use operator-only routes nor name another plugin in `X-Caller-Plugin-ID`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys?: GatewayKeyTable;
  private readonly header: string;

  constructor(
    @Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) options: PluginGatewayModuleOptions,
    private readonly reflector: Reflector,
  ) {
    this.keys = options.allowAnonymous === true ? undefined : new GatewayKeyTable(options.apiKey!, options.pluginKeys);
    this.header = (options.apiKeyHeader ?? DEFAULT_API_KEY_HEADER).toLowerCase();
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: RequestHeaders }>();
    const caller = this.keys === undefined ? OPERATOR : this.keys.identify(stringHeader(request.headers[this.header]));
    if (caller === undefined) throw new UnauthorizedException(`Missing or invalid API key (header ${this.header})`);
    if (caller.kind === 'plugin') {
      if (this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, [context.getHandler(), context.getClass()])) {
        throw new OperatorKeyRequiredError(caller.pluginId);
      }
      actingPluginId(caller, { pluginId: stringHeader(request.headers[CALLER_HEADER]), source: 'X-Caller-Plugin-ID' });
    }
    setRequestCaller(request, caller);
    return true;
  }
}

function stringHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
