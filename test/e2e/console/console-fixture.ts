import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import { Expose, Plugin, PluginModule } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { PluginFiles } from '../runtime/plugin-files.js';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

export const OPERATOR_KEY = 'console-operator-key';
export const LEDGER_KEY = 'console-ledger-key';
export const GATEWAY = '/api/plugin-gateway';

@Plugin({ name: 'ledger', version: '1.2.0', description: 'Balances' })
class LedgerPlugin {
  @Expose()
  balance(account: string): { account: string; balance: number } {
    return { account, balance: 42 };
  }
}

@Plugin({ name: 'auditor', version: '1.0.0', dependencies: [{ name: 'ledger', version: '^1.0.0' }] })
class AuditorPlugin {}

/** A host with the console on, listening on loopback: ledger ← auditor at boot, `stamps.plugin.js` to load at runtime, `broken.plugin.js` that fails to. */
export interface ConsoleHost {
  readonly app: INestApplication;
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startConsoleHost(): Promise<ConsoleHost> {
  const database: TestDatabase = await createTestDatabase('sqlite');
  const files = await PluginFiles.create();
  await files.write('stamps', { body: 'stamp(id) { return `stamped ${id}`; }', dependencies: ['ledger'] });
  await files.writeRaw('broken.plugin.js', `import 'no-such-package-anywhere';\nexport default class Broken {}\n`);
  const app = await bootApp([
    TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
    PluginModule.forRoot({ plugins: [LedgerPlugin, AuditorPlugin] }),
    PluginGatewayModule.forRoot({ apiKey: OPERATOR_KEY, pluginKeys: { ledger: LEDGER_KEY }, runtimePluginsDir: files.directory, console: true }),
  ]);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await database.drop();
      await files.remove();
    },
  };
}
