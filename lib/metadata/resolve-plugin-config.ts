import type { ValidationError, ValidatorOptions } from 'class-validator';
import { InvalidPluginConfigError } from '../errors/registration.errors.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { loadedValidationLibraries } from './validation-libraries.js';

/**
 * Unknown fields are errors, not silently dropped: a misspelt key would otherwise leave its
 * default in force. Neither target nor value is kept on the errors: configuration may hold secrets.
 */
const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** What a plugin without a `configSchema` reads as `ctx.config`. */
export const EMPTY_CONFIG: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The plugin's configuration: the host's values turned into an instance of its `configSchema`
 * (absent fields keep the class's property initializers), validated with class-validator and
 * deeply frozen. Throws `InvalidPluginConfigError` naming every bad field and rule, never a value.
 * With a `configSchema`, `loadValidationLibraries()` must have resolved first.
 */
export function resolvePluginConfig(metadata: Pick<PluginMetadata, 'name' | 'configSchema'>, values: unknown): Readonly<object> {
  const { name, configSchema } = metadata;
  if (configSchema === undefined) {
    if (values === undefined) return EMPTY_CONFIG;
    throw new InvalidPluginConfigError(name, [`configuration is given (config["${name}"]), but the plugin declares no configSchema`]);
  }
  if (values !== undefined && !isPlainObject(values)) {
    throw new InvalidPluginConfigError(name, [`configuration must be an object (got ${kindOf(values)})`]);
  }
  const { validator, transformer } = loadedValidationLibraries();
  const config = transformer.plainToInstance(configSchema, values ?? {}, { exposeDefaultValues: true });
  const problems = problemsOf(validator.validateSync(config, OPTIONS));
  if (problems.length > 0) throw new InvalidPluginConfigError(name, problems);
  return deepFreeze(config);
}

/** One line per failing rule; nested fields by their path (`database.port must be …`). */
function problemsOf(errors: readonly ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${parentPath}${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      // class-validator words it "property x should not exist", with the bare property name.
      rule === 'whitelistValidation' ? `property ${path} should not exist` : `${parentPath}${message}`,
    );
    return [...own, ...problemsOf(error.children ?? [], `${path}.`)];
  });
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind of a rejected value, never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Freezes the object and every object reachable through its own properties. */
export function deepFreeze<T extends object>(value: T): Readonly<T> {
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    const child: unknown = (value as Record<PropertyKey, unknown>)[key];
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return value;
}
