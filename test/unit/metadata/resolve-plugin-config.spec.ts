import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsPositive, IsString, Min, ValidateNested } from 'class-validator';
import { PluginConfigs } from '../../../lib/context/plugin-configs.js';
import { InvalidPluginConfigError } from '../../../lib/errors/index.js';
import { EMPTY_CONFIG, resolvePluginConfig } from '../../../lib/metadata/resolve-plugin-config.js';
import { loadValidationLibraries } from '../../../lib/metadata/validation-libraries.js';

// Registration loads them before it resolves a configuration; so does this suite.
beforeAll(() => loadValidationLibraries());

class DatabaseConfig {
  @IsString() host = 'localhost';
  @IsInt() @Min(1) port = 5432;
}

class BillingConfig {
  @IsIn(['EUR', 'USD']) currency: 'EUR' | 'USD' = 'EUR';
  @IsPositive() retries = 3;
  @IsOptional() @IsString() apiKey?: string;
  @ValidateNested() @Type(() => DatabaseConfig) database = new DatabaseConfig();
}

const billing = { name: 'billing', configSchema: BillingConfig };

/** The InvalidPluginConfigError resolvePluginConfig throws; fails the test if it returns. */
function configError(values: unknown, metadata: Parameters<typeof resolvePluginConfig>[0] = billing): InvalidPluginConfigError {
  try {
    resolvePluginConfig(metadata, values);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPluginConfigError);
    return error as InvalidPluginConfigError;
  }
  throw new Error('expected resolvePluginConfig to throw');
}

describe('resolvePluginConfig', () => {
  it("applies the schema's property initializers as defaults", () => {
    const config = resolvePluginConfig(billing, undefined) as BillingConfig;
    expect(config).toBeInstanceOf(BillingConfig);
    expect(config).toEqual({ currency: 'EUR', retries: 3, database: { host: 'localhost', port: 5432 } });
    expect(config.database).toBeInstanceOf(DatabaseConfig);
  });

  it('keeps the given values and the defaults of the fields not given, nested ones included', () => {
    const config = resolvePluginConfig(billing, { currency: 'USD', apiKey: 'k', database: { port: 6543 } }) as BillingConfig;
    expect(config).toEqual({ currency: 'USD', retries: 3, apiKey: 'k', database: { host: 'localhost', port: 6543 } });
  });

  it('freezes the configuration, nested objects too', () => {
    const config = resolvePluginConfig(billing, { database: {} }) as BillingConfig;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { retries: number }).retries = 9;
    }).toThrow(TypeError);
  });

  it('names every bad field with its rule, nested fields by their path', () => {
    const error = configError({ currency: 'GBP', retries: -1, apiKey: 42, database: { port: 0 } });
    expect(error.message).toBe(
      'Invalid configuration for plugin "billing": currency must be one of the following values: EUR, USD; retries must be a positive number; apiKey must be a string; database.port must not be less than 1',
    );
    expect(error.code).toBe('PLUGIN_INVALID_CONFIG');
    expect(error.name).toBe('InvalidPluginConfigError');
    expect(error.pluginName).toBe('billing');
    expect(error.problems).toHaveLength(4);
  });

  it('refuses unknown fields, naming each (a misspelt key would leave its default in force)', () => {
    expect(configError({ curency: 'USD', database: { pasword: 'x' } }).problems).toEqual([
      'property curency should not exist',
      'property database.pasword should not exist',
    ]);
  });

  it('never quotes a given value: configuration may hold secrets', () => {
    const error = configError({ currency: 'sk_live_1', retries: 'sk_live_2', apiKey: { secret: 'sk_live_3' }, token: 'sk_live_4' });
    expect(error.message).not.toMatch(/sk_live/);
    expect(JSON.stringify(error)).not.toMatch(/sk_live/);
    expect(error.problems).toEqual([
      'property token should not exist',
      'currency must be one of the following values: EUR, USD',
      'retries must be a positive number',
      'apiKey must be a string',
    ]);
  });

  it('refuses a configuration that is not an object, naming only its kind', () => {
    expect(configError('EUR').message).toBe('Invalid configuration for plugin "billing": configuration must be an object (got a string)');
    expect(configError(['EUR']).problems).toEqual(['configuration must be an object (got an array)']);
    expect(configError(null).problems).toEqual(['configuration must be an object (got null)']);
  });

  it('gives a plugin without a schema one frozen empty object', () => {
    const config = resolvePluginConfig({ name: 'audit' }, undefined);
    expect(config).toBe(EMPTY_CONFIG);
    expect(config).toEqual({});
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses configuration for a plugin without a schema', () => {
    expect(configError({ level: 'debug' }, { name: 'audit' }).message).toBe(
      'Invalid configuration for plugin "audit": configuration is given (config["audit"]), but the plugin declares no configSchema',
    );
  });
});

describe('PluginConfigs', () => {
  it('resolves each plugin once, by metadata, with the values given for its name', () => {
    const configs = new PluginConfigs({ billing: { currency: 'USD' } });
    const metadata = { name: 'billing', version: '1.0.0', configSchema: BillingConfig };
    const config = configs.configFor(metadata);
    expect(config).toMatchObject({ currency: 'USD', retries: 3 });
    expect(configs.configFor(metadata)).toBe(config);
    // A reloaded class has new metadata: its (possibly changed) schema is applied afresh.
    expect(configs.configFor({ ...metadata })).not.toBe(config);
  });

  it('throws for bad values each time they are asked for', () => {
    const configs = new PluginConfigs({ billing: { currency: 'GBP' } });
    const metadata = { name: 'billing', version: '1.0.0', configSchema: BillingConfig };
    expect(() => configs.configFor(metadata)).toThrow(InvalidPluginConfigError);
    expect(() => configs.configFor(metadata)).toThrow(InvalidPluginConfigError);
  });

  it('lists configured names no registered plugin has', () => {
    const configs = new PluginConfigs({ billing: {}, biling: {}, later: {} });
    expect(configs.unclaimedNames(new Set(['billing', 'audit']))).toEqual(['biling', 'later']);
    expect(new PluginConfigs(undefined).unclaimedNames(new Set())).toEqual([]);
  });

  it('refuses a config option that is not an object', () => {
    expect(() => new PluginConfigs([{ currency: 'EUR' }])).toThrow(
      new TypeError('PluginModule option config must be an object of configurations by plugin name'),
    );
  });
});
