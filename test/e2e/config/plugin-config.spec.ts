import 'reflect-metadata';
import { Injectable, Logger, Module, type INestApplication } from '@nestjs/common';
import { IsIn, IsOptional, IsPositive, IsString } from 'class-validator';
import {
  Expose,
  InjectPluginContext,
  InvalidPluginConfigError,
  Plugin,
  PluginLoadError,
  PluginManager,
  PluginModule,
  PluginRegistry,
  type OnPluginInit,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp, bootFailure, HookJournal } from '../support/boot-app.js';
import { PluginFiles } from '../runtime/plugin-files.js';
import { stateSnapshot } from '../runtime/state-snapshot.js';

class BillingConfig {
  @IsIn(['EUR', 'USD']) currency: 'EUR' | 'USD' = 'EUR';
  @IsPositive() retries = 3;
  @IsOptional() @IsString() apiKey?: string;
}

let journal: HookJournal;

@Injectable()
class Charger {
  /** read in the constructor: the configuration is there before registration */
  readonly currencyAtConstruction: string;

  constructor(@InjectPluginContext() private readonly ctx: PluginContext<BillingConfig>) {
    this.currencyAtConstruction = ctx.config.currency;
  }

  @Expose()
  describe(): string {
    return `${this.ctx.config.currency} x${this.ctx.config.retries}`;
  }

  @Expose()
  tamper(): void {
    // @ts-expect-error ctx.config is read-only
    this.ctx.config.currency = 'USD';
  }
}

@Plugin({ name: 'billing', version: '1.0.0', configSchema: BillingConfig, providers: [Charger] })
class BillingPlugin implements OnPluginInit {
  onModuleInit(): void {
    journal.record('onModuleInit:billing');
  }
  onPluginInit(ctx: PluginContext<BillingConfig>): void {
    journal.record(`onPluginInit:billing:${ctx.config.currency}`);
  }
}

/** Same schema, but nothing reads the configuration before registration. */
@Plugin({ name: 'billing', version: '1.0.0', configSchema: BillingConfig })
class LazyBillingPlugin {
  onPluginInit(): void {
    journal.record('onPluginInit:billing');
  }
}

@Plugin({ name: 'audit', version: '1.0.0' })
class AuditPlugin implements OnPluginInit {
  config?: Readonly<object>;
  onModuleInit(): void {
    journal.record('onModuleInit:audit');
  }
  onPluginInit(ctx: PluginContext): void {
    this.config = ctx.config;
    journal.record('onPluginInit:audit');
  }
}

/** Logger.warn calls while `run` runs, as `context: message`. */
async function loggedWarnings(run: () => Promise<void>): Promise<string[]> {
  const entries: string[] = [];
  const original = Logger.prototype.warn;
  Logger.prototype.warn = function (this: Logger, message: unknown) {
    entries.push(`${(this as unknown as { context?: string }).context}: ${String(message)}`);
  };
  try {
    await run();
  } finally {
    Logger.prototype.warn = original;
  }
  return entries;
}

beforeEach(() => {
  journal = new HookJournal();
});

describe('plugin configuration at boot', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('gives the plugin its typed configuration, defaults applied, from the constructor on', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [BillingPlugin, AuditPlugin], config: { billing: { currency: 'USD' } } })]);
    expect(app.get(PluginRegistry).call('billing', 'describe')).toBe('USD x3');
    expect(app.get(Charger).currencyAtConstruction).toBe('USD');
    expect(journal.of('onPluginInit')).toEqual(['billing:USD', 'audit']);
  });

  it('takes the configuration from a forRootAsync factory', async () => {
    @Module({ providers: [{ provide: 'CURRENCY', useValue: 'USD' }], exports: ['CURRENCY'] })
    class SettingsModule {}
    app = await bootApp([
      PluginModule.forRootAsync({
        plugins: [BillingPlugin],
        imports: [SettingsModule],
        inject: ['CURRENCY'],
        useFactory: (currency: 'USD') => ({ config: { billing: { currency, retries: 5 } } }),
      }),
    ]);
    expect(app.get(PluginRegistry).call('billing', 'describe')).toBe('USD x5');
  });

  it('freezes the configuration: a plugin cannot change it', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [BillingPlugin] })]);
    expect(() => app!.get(PluginRegistry).call('billing', 'tamper')).toThrow(TypeError);
    expect(app.get(PluginRegistry).call('billing', 'describe')).toBe('EUR x3');
  });

  it('gives a plugin without a schema a frozen empty object', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [AuditPlugin] })]);
    const { config } = app.get(AuditPlugin);
    expect(config).toEqual({});
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('warns about configuration for a name no plugin has, and boots', async () => {
    const warnings = await loggedWarnings(async () => {
      app = await bootApp([PluginModule.forRoot({ plugins: [AuditPlugin], config: { biling: { currency: 'USD' } } })]);
    });
    expect(warnings).toEqual([
      'PluginHost: Configuration is given for "biling", but no plugin of that name is registered at boot (it applies if one is loaded later)',
    ]);
    expect(journal.of('onPluginInit')).toEqual(['audit']);
  });
});

describe('bad configuration fails boot, naming every field, with nothing started', () => {
  const message =
    'Invalid configuration for plugin "billing": property region should not exist; currency must be one of the following values: EUR, USD; retries must be a positive number';
  const bad = { currency: 'GBP', retries: 0, region: 'eu' };

  it('at registration', async () => {
    const error = await bootFailure({ plugins: [AuditPlugin, LazyBillingPlugin], config: { billing: bad } });
    expect(error).toBeInstanceOf(InvalidPluginConfigError);
    expect((error as Error).message).toBe(message);
    expect(journal.entries).toEqual([]);
  });

  it('when a provider reads it in its constructor, before registration', async () => {
    const error = await bootFailure({ plugins: [AuditPlugin, BillingPlugin], config: { billing: bad } });
    expect(error).toBeInstanceOf(InvalidPluginConfigError);
    expect((error as Error).message).toBe(message);
    expect(journal.entries).toEqual([]);
  });

  it('configuration for a plugin that declares no schema', async () => {
    const error = await bootFailure({ plugins: [AuditPlugin], config: { audit: { level: 'debug' } } });
    expect(error).toBeInstanceOf(InvalidPluginConfigError);
    expect((error as Error).message).toBe(
      'Invalid configuration for plugin "audit": configuration is given (config["audit"]), but the plugin declares no configSchema',
    );
    expect(journal.entries).toEqual([]);
  });
});

describe('plugin configuration at runtime load', () => {
  let app: INestApplication;
  let files: PluginFiles;

  /** A compiled plugin file with a configuration schema, as a build would emit it. */
  const writeBillingFile = () =>
    files.writeRaw(
      'billing.plugin.js',
      `import { IsIn, IsPositive } from 'class-validator';
import { Expose, Plugin } from 'nestjs-plugins';
class BillingConfig {
  currency = 'EUR';
  retries = 3;
}
IsIn(['EUR', 'USD'])(BillingConfig.prototype, 'currency');
IsPositive()(BillingConfig.prototype, 'retries');
class BillingFilePlugin {
  onPluginInit(ctx) { this.ctx = ctx; }
  describe() { return this.ctx.config.currency + ' x' + this.ctx.config.retries; }
}
Expose()(BillingFilePlugin.prototype, 'describe', Object.getOwnPropertyDescriptor(BillingFilePlugin.prototype, 'describe'));
Plugin({ name: 'billing', version: '1.0.0', configSchema: BillingConfig })(BillingFilePlugin);
export default BillingFilePlugin;
`,
    );

  beforeEach(async () => {
    files = await PluginFiles.create();
  });
  afterEach(async () => {
    await app.close();
    await files.remove();
  });

  it("uses forRoot's configuration for the loaded plugin's name", async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [AuditPlugin], config: { billing: { retries: 7 } } })]);
    await app.get(PluginManager).load(await writeBillingFile());
    expect(app.get(PluginRegistry).call('billing', 'describe')).toBe('EUR x7');
  });

  it('rejects bad configuration with PluginLoadError (the config error as cause) and leaves the registry as it was', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [AuditPlugin], config: { billing: { currency: 'GBP', retries: -2 } } })]);
    const before = stateSnapshot(app);
    const failure = await app
      .get(PluginManager)
      .load(await writeBillingFile())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PluginLoadError);
    expect((failure as Error).message).toMatch(
      /: Invalid configuration for plugin "billing": currency must be one of the following values: EUR, USD; retries must be a positive number$/,
    );
    expect((failure as PluginLoadError).cause).toBeInstanceOf(InvalidPluginConfigError);
    expect(stateSnapshot(app)).toEqual(before);
    expect(app.get(PluginRegistry).has('billing')).toBe(false);
  });

  it('validates a plugin class loaded at runtime the same way', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [AuditPlugin], config: { billing: { currency: 'GBP' } } })]);
    const before = stateSnapshot(app);
    const failure = await app
      .get(PluginManager)
      .load(LazyBillingPlugin)
      .catch((error: unknown) => error);
    expect((failure as PluginLoadError).cause).toBeInstanceOf(InvalidPluginConfigError);
    expect(stateSnapshot(app)).toEqual(before);
    expect(journal.of('onPluginInit')).toEqual(['audit']);
  });
});
