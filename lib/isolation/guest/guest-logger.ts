import { format } from 'node:util';
import type { PluginLogger } from '../../interfaces/facets/logger.facet.js';
import type { HostFunctions, WireLogLevel } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentLogScope } from './guest-call-scope.js';

/** `ctx.logger`: each line goes to the host's logger, whose context is the plugin's name. */
export class GuestLogger implements PluginLogger {
  constructor(private readonly host: RpcChannel<HostFunctions, object>) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.send('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.send('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.send('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.send('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.send('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.send('fatal', message, rest);
  }

  private send(level: WireLogLevel, message: unknown, rest: unknown[]): void {
    void this.host.log.asEvent(level, format(message, ...rest), currentLogScope());
  }
}
