import { Plugin } from '../../decorators/plugin.decorator.js';
import type { PluginOptions } from '../../interfaces/plugin-metadata.interface.js';
import { rememberConfigCheck, type ConfigOutcome } from '../../metadata/described-config.js';
import { getPluginMetadata, type PluginClass } from '../../metadata/plugin-metadata.accessor.js';
import { describedMigrationClass } from '../../migrations/plugin-migration.js';
import { rememberPluginModuleFile } from '../../metadata/plugin-module-file.js';
import { describedEntitySchemas } from './described-entities.js';
import { keepWarmGuest } from './warm-guests.js';
import { checkConfigInGuest, type DescribedPlugin, type DescribeRequest } from './describe-in-guest.js';

/**
 * The host's stand-in for a plugin it described instead of importing: a class of the same name,
 * declared with `@Plugin()` and the described metadata, which registration, resolution and the
 * isolated record take as they would the plugin's own class. Its guest imports the real module
 * (the guest that described it, when it was kept).
 * Its `configSchema` stayed in the guest: configuration is checked there (the answer given while
 * describing is reused for the same values; other values get a guest of their own).
 */
export async function describedPluginClass({ description, config, guest }: DescribedPlugin, request: DescribeRequest): Promise<PluginClass> {
  const entities = await describedEntitySchemas(description.entities);
  const className = description.className || 'DescribedPlugin';
  const standIn = { [className]: class {} }[className];
  // Its migrations are stand-ins too: the host plans with their names and checksums, its guest runs them.
  const migrations = description.migrations.map(({ name, checksum }) => describedMigrationClass(name, checksum));
  Plugin({
    ...description.metadata,
    ...(entities.length === 0 ? {} : { entities }),
    ...(migrations.length === 0 ? {} : { migrations }),
  } as unknown as PluginOptions)(standIn);
  rememberPluginModuleFile(standIn, request.moduleFile);
  if (guest !== undefined) keepWarmGuest(standIn as PluginClass, guest);
  if (description.hasConfigSchema) {
    let last = config;
    rememberConfigCheck(getPluginMetadata(standIn)!, async (values): Promise<ConfigOutcome> => {
      if (last === undefined || last.values !== values) last = { values, outcome: await checkConfigInGuest(request, values) };
      return last.outcome;
    });
  }
  return standIn as PluginClass;
}
