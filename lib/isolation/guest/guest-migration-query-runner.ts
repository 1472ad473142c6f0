import type { QueryRunner } from 'typeorm';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';

/**
 * The `QueryRunner` an isolated plugin's migration receives in its guest: `query` runs on the
 * host, in the host's transaction, through the plugin's scoped runner (checked as for an inline
 * plugin); `connection.options.type` names the engine. The schema builder (createTable,
 * addColumn, …) would need TypeORM's driver and connection here, which a guest does not have:
 * any other member throws, naming the plugin and what to use instead.
 */
export function guestMigrationQueryRunner(pluginName: string, databaseType: string, host: RpcChannel<HostFunctions, object>): QueryRunner {
  const members: Record<string, unknown> = {
    query: (...args: Parameters<QueryRunner['query']>) => host.migrationQuery(...args),
    connection: { options: { type: databaseType } },
  };
  return new Proxy(members, {
    get: (target, member) => {
      if (typeof member !== 'string') return undefined;
      if (member in target) return target[member];
      // Probed by `await` and by formatting: not a call into the runner.
      if (member === 'then' || member === 'toJSON') return undefined;
      throw new Error(
        `Plugin "${pluginName}": queryRunner.${member} is not available to the migrations of an isolated plugin; use queryRunner.query(sql, parameters) in isolated plugins`,
      );
    },
  }) as unknown as QueryRunner;
}
