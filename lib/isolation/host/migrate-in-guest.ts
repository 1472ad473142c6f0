import { pathToFileURL } from 'node:url';
import type { QueryRunner } from 'typeorm';
import { PluginCrashedError } from '../../errors/index.js';
import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';
import type { PluginMigration } from '../../migrations/plugin-migration.js';
import type { GuestFunctions, HostFunctions, WireMigrationRun } from '../guest-protocol.js';
import { openRpcChannel } from '../rpc-channel.js';
import { launchGuest } from './guest-launcher.js';

/** Where an isolated plugin's migrations run: a guest started as its own would be. */
export interface GuestMigrationSite {
  readonly pluginName: string;
  readonly mode: 'thread' | 'process';
  readonly moduleFile: string;
  /** process mode: `@Plugin({ env })` */
  readonly env: readonly string[];
  readonly sandbox: SandboxMode;
  readonly maxOldGenerationSizeMb?: number;
  /** one migration, statements included; past it the guest is stopped and the migration fails (rolled back) */
  readonly timeoutMs: number;
}

type MigrationStep = Pick<WireMigrationRun, 'name' | 'checksum' | 'direction'>;

/**
 * An isolated plugin's migrations as the host runs them: its own runner opens the transaction
 * and the scoped `QueryRunner` and keeps the ledger, then each `up` or `down` starts a guest that
 * imports the plugin's module and runs the migration there. Its statements come back to the
 * scoped runner: the plugin's code never runs in the host.
 */
export function migrationsInGuest(migrations: readonly PluginMigration[], site: GuestMigrationSite): PluginMigration[] {
  return migrations.map(({ name, checksum }) => ({
    name,
    checksum,
    instance: {
      name,
      up: (queryRunner: QueryRunner) => runInGuest(site, { name, checksum, direction: 'up' }, queryRunner),
      down: (queryRunner: QueryRunner) => runInGuest(site, { name, checksum, direction: 'down' }, queryRunner),
    },
  }));
}

async function runInGuest(site: GuestMigrationSite, step: MigrationStep, queryRunner: QueryRunner): Promise<void> {
  const launched = launchGuest({
    mode: site.mode,
    moduleFile: site.moduleFile,
    pluginName: site.pluginName,
    env: site.env,
    sandbox: site.sandbox,
    maxOldGenerationSizeMb: site.maxOldGenerationSizeMb,
  });
  // The host's own refusal (TableAccessDeniedError, the engine's error) is the cause to report, whatever the guest makes of it.
  let refused: unknown;
  const host: Pick<HostFunctions, 'migrationQuery'> = {
    migrationQuery: async (...args) => {
      try {
        return await queryRunner.query(...args);
      } catch (error) {
        refused ??= error;
        throw error;
      }
    },
  };
  let ended: (error: Error) => void = () => undefined;
  const end = new Promise<never>((_, reject) => (ended = reject));
  end.catch(() => undefined);
  launched.onExit((reason) => ended(new PluginCrashedError(site.pluginName, `the guest running migration "${step.name}" ${reason}`)));
  const timer = setTimeout(() => ended(new PluginCrashedError(site.pluginName, `migration "${step.name}" did not finish within ${site.timeoutMs} ms`)), site.timeoutMs);
  const guest = await openRpcChannel<GuestFunctions, typeof host>(host, launched.endpoint);
  try {
    const run: WireMigrationRun = {
      ...step,
      moduleUrl: pathToFileURL(site.moduleFile).href,
      pluginName: site.pluginName,
      databaseType: String(queryRunner.connection.options.type),
    };
    await Promise.race([guest.runMigration(run), end]);
  } catch (error) {
    throw refused ?? error;
  } finally {
    clearTimeout(timer);
    guest.$close();
    await launched.terminate();
  }
}
