import type { PluginModuleOptions } from 'nestjs-plugins';

/**
 * Installing plugins from a registry (docs/installing-plugins.md), opt-in: `PLUGIN_REGISTRY_URL`
 * names the registry the console's Install form and `POST /api/plugin-gateway/plugins/install`
 * fetch from. Installed packages go to data/installed-plugins, beside the database, inside the
 * application's directory so their `import 'nestjs-plugins'` finds the application's copy.
 */
export const PLUGIN_REGISTRY_URL = process.env.PLUGIN_REGISTRY_URL;

export function registryOptions(): Pick<PluginModuleOptions, 'registry' | 'installDir'> {
  if (PLUGIN_REGISTRY_URL === undefined) return {};
  return {
    // allowUnsigned only because the guide's local registry (Verdaccio) does not sign packages:
    // integrity, the tarball checks and the sandbox still apply. Never against a registry that signs.
    registry: { url: PLUGIN_REGISTRY_URL, allowUnsigned: true },
    installDir: 'data/installed-plugins',
  };
}
