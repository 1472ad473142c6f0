import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Cluster } from '../cluster/cluster.js';
import { CLUSTER } from '../cluster/cluster.tokens.js';
import { PLUGIN_MODULE_OPTIONS } from '../constants.js';
import { PluginPackages } from '../host/plugin-packages.js';
import type { PluginInstallOptions } from '../install/install-options.js';
import { installDirOf, installedSources } from '../install/install-ledger.js';
import { PluginManager } from './plugin.manager.js';

/**
 * After a restart, installs again the exact tarballs the ledger in `installDir` lists (verified
 * again, from the registry), so installed plugins survive it. In cluster mode the desired state
 * does this instead. One that fails is logged; the others still start.
 */
@Injectable()
export class InstalledPluginsRestorer implements OnApplicationBootstrap {
  private readonly logger = new Logger('PluginManager');

  constructor(
    private readonly manager: PluginManager,
    private readonly packages: PluginPackages,
    @Inject(PLUGIN_MODULE_OPTIONS) private readonly options: PluginInstallOptions,
    @Optional() @Inject(CLUSTER) private readonly cluster: Cluster | null = null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.cluster !== null) return;
    for (const source of await installedSources(installDirOf(this.options, this.packages.root))) {
      await this.manager.install(source).catch((error: Error) => this.logger.error(`Installed plugin ${source.replace(/#.*/, '')} did not start again: ${error.message}`));
    }
  }
}
