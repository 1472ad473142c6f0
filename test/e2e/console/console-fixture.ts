import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import { IsString } from 'class-validator';
import { Expose, Plugin, PluginModule, type OnPluginInit, type PluginContext } from 'nestjs-plugins';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { AppRoot, pluginEntry } from '../packages/app-root.js';
import { PluginFiles } from '../runtime/plugin-files.js';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

export const OPERATOR_KEY = 'console-operator-key';
export const LEDGER_KEY = 'console-ledger-key';
export const GATEWAY = '/api/plugin-gateway';
/** An installed plugin package (a peer of nestjs-plugins), and a package that is no plugin. */
export const TALLY_PACKAGE = '@acme/nest-plugin-tally';
export const OTHER_PACKAGE = 'plain-helper';

/** The secret the console must never show (masked by its key's name). */
export const LEDGER_TOKEN = 'ledger-token-never-shown';

class LedgerConfig {
  @IsString()
  apiToken = '';

  @IsString()
  region = 'eu';
}

@Plugin({ name: 'ledger', version: '1.2.0', description: 'Balances', configSchema: LedgerConfig })
class LedgerPlugin implements OnPluginInit {
  onPluginInit(ctx: PluginContext): void {
    ctx.http.registerRoutes((router) => router.get('/balance/:account', (req, res) => res.json({ account: req.params.account })));
  }

  @Expose()
  balance(account: string): { account: string; balance: number } {
    return { account, balance: 42 };
  }
}

@Plugin({ name: 'auditor', version: '1.0.0', dependencies: [{ name: 'ledger', version: '^1.0.0' }] })
class AuditorPlugin {}

/** Fails to start at boot: the host (onError: isolate) keeps it, `failed`. */
@Plugin({ name: 'meter', version: '0.1.0' })
class MeterPlugin implements OnPluginInit {
  onPluginInit(): void {
    throw new Error('meter could not reach its device');
  }
}

/** A host with the console on, listening on loopback: ledger ← auditor at boot (ledger configured, with a route), meter failed at boot, `stamps.plugin.js` and the package `@acme/nest-plugin-tally` to load at runtime, `broken.plugin.js` that fails to. */
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
  const packages = await AppRoot.create();
  await packages.install(TALLY_PACKAGE, { version: '1.0.0', main: 'index.js', peerDependencies: { 'nestjs-plugins': '*' } }, { 'index.js': pluginEntry('tally', { body: 'count() { return 1; }' }) });
  await packages.install(OTHER_PACKAGE, { version: '1.0.0', main: 'index.js' }, { 'index.js': 'globalThis.plainHelperRan = true;\n' });
  const app = await bootApp([
    TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
    PluginModule.forRoot({ plugins: [LedgerPlugin, AuditorPlugin, MeterPlugin], packagesRoot: packages.directory, onError: 'isolate', config: { ledger: { apiToken: LEDGER_TOKEN, region: 'eu-west' } } }),
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
      await packages.remove();
    },
  };
}
