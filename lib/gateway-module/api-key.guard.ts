import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from './plugin-gateway-module.options.js';

const DEFAULT_API_KEY_HEADER = 'x-api-key';

/** Every gateway route asks for the API key, unless the host chose `allowAnonymous: true`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected?: Buffer;
  private readonly header: string;

  constructor(@Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) options: PluginGatewayModuleOptions) {
    this.expected = options.allowAnonymous === true ? undefined : Buffer.from(options.apiKey ?? '');
    this.header = (options.apiKeyHeader ?? DEFAULT_API_KEY_HEADER).toLowerCase();
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === undefined) return true;
    const sent = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[this.header];
    const given = Buffer.from(typeof sent === 'string' ? sent : '');
    // Constant time, so the key cannot be guessed from response times.
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new UnauthorizedException(`Missing or invalid API key (header ${this.header})`);
    }
    return true;
  }
}
