import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OperatorKeyRequiredError } from '../../errors/gateway-key.errors.js';
import { GatewayKeyTable } from '../keys/gateway-key-table.js';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from '../plugin-gateway-module.options.js';
import { CONSOLE_KEY_COOKIE, readConsoleKeyCookie } from './console-key-cookie.js';

/**
 * The rules of the gateway's key guard, for the one route that cannot send the key header:
 * the console's event stream takes the key from a cookie, and only the operator's key opens it.
 */
@Injectable()
export class ConsoleStreamGuard implements CanActivate {
  private readonly keys?: GatewayKeyTable;

  constructor(@Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) options: PluginGatewayModuleOptions) {
    this.keys = options.allowAnonymous === true ? undefined : new GatewayKeyTable(options.apiKey!, options.pluginKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys === undefined) return true;
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const cookie = typeof headers.cookie === 'string' ? headers.cookie : undefined;
    const caller = this.keys.identify(readConsoleKeyCookie(cookie));
    if (caller === undefined) throw new UnauthorizedException(`Missing or invalid API key (cookie ${CONSOLE_KEY_COOKIE})`);
    if (caller.kind === 'plugin') throw new OperatorKeyRequiredError(caller.pluginId);
    return true;
  }
}
