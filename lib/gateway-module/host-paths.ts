import { Inject, Injectable } from '@nestjs/common';
import { resolve } from 'node:path';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from './plugin-gateway-module.options.js';
import { hostDirectories, withoutHostPaths } from '../errors/without-host-paths.js';

/**
 * Takes the host's directories out of what the gateway answers: errors name files relative to
 * runtimePluginsDir (as the request named them), and nothing under the working, temporary or
 * home directory by its absolute path.
 */
@Injectable()
export class HostPaths {
  private readonly directories: string[];

  constructor(@Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) options: PluginGatewayModuleOptions) {
    this.directories = hostDirectories();
    if (options.runtimePluginsDir) this.directories.push(resolve(options.runtimePluginsDir));
  }

  hide(text: string): string {
    return withoutHostPaths(text, this.directories);
  }
}
