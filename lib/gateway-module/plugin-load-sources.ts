import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { installedPluginPackages } from '../host/installed-plugin-packages.js';
import { PluginPackages } from '../host/plugin-packages.js';
import { PLUGIN_GATEWAY_MODULE_OPTIONS, type PluginGatewayModuleOptions } from './plugin-gateway-module.options.js';
import { runtimePluginFiles } from './runtime-plugin-files.js';

/** What may be loaded over HTTP: files relative to runtimePluginsDir, and installed plugin packages by name. */
export interface PluginLoadSourceList {
  files: string[];
  packages: string[];
}

/**
 * The sources the admin load route accepts and the console offers. Packages are those installed
 * where the host resolves them (`packagesRoot`), and only plugin packages: a request must not
 * make the host import (and so run) any other dependency of the application.
 */
@Injectable()
export class PluginLoadSources {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(PLUGIN_GATEWAY_MODULE_OPTIONS) private readonly options: PluginGatewayModuleOptions,
  ) {}

  async list(): Promise<PluginLoadSourceList> {
    const [files, packages] = await Promise.all([runtimePluginFiles(this.options.runtimePluginsDir), this.packages()]);
    return { files, packages };
  }

  /** The package's name, when it is an installed plugin package; a 400 otherwise. */
  async packageToLoad(packageName: string): Promise<string> {
    if (!(await this.packages()).includes(packageName)) {
      throw new BadRequestException(`package "${packageName}" is not an installed plugin package (one that declares "nestjsPlugin" or a peer dependency on nestjs-plugins)`);
    }
    return packageName;
  }

  private packages(): Promise<string[]> {
    // PluginModule keeps its providers to itself: look it up across modules.
    const root = this.moduleRef.get(PluginPackages, { strict: false }).root;
    return installedPluginPackages(root);
  }
}
