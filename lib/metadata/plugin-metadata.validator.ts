import type { ValidatorOptions } from 'class-validator';
import { InvalidPluginMetadataError } from '../errors/registration.errors.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { satisfiesEveryRule } from './plugin-metadata.rules.js';

// The messages already quote the values: keep neither the target nor the value on the errors.
const OPTIONS: ValidatorOptions = { validationError: { target: false, value: false } };

/** Metadata objects are frozen by `@Plugin()`, so one that passed once stays valid. */
const validated = new WeakSet<object>();

/**
 * Checks a plugin's metadata; rejects with one InvalidPluginMetadataError listing every
 * failing field. Valid metadata is recognized by the plain rules; class-validator and the
 * schema are loaded only to word the problems of invalid metadata.
 */
export async function validatePluginMetadata(metadata: PluginMetadata, className: string): Promise<void> {
  if (validated.has(metadata)) return;
  if (satisfiesEveryRule(metadata)) {
    if (Object.isFrozen(metadata)) validated.add(metadata);
    return;
  }
  const [{ validateSync }, { PluginMetadataSchema }] = await Promise.all([import('class-validator'), import('./plugin-metadata.schema.js')]);
  // Only the plugin fields, so unknown keys never reach class-validator.
  const schema = new PluginMetadataSchema();
  schema.name = metadata.name;
  schema.version = metadata.version;
  schema.description = metadata.description;
  schema.dependencies = metadata.dependencies;
  schema.entities = metadata.entities;
  schema.migrations = metadata.migrations;
  schema.allowedTables = metadata.allowedTables;
  schema.allowedTopics = metadata.allowedTopics;
  schema.allowedBuckets = metadata.allowedBuckets;
  schema.permissions = metadata.permissions;
  schema.configSchema = metadata.configSchema;
  schema.hostRange = metadata.hostRange;
  schema.isolation = metadata.isolation;
  schema.resourceLimits = metadata.resourceLimits;
  schema.restart = metadata.restart;
  schema.env = metadata.env;

  const errors = validateSync(schema, OPTIONS);
  if (errors.length === 0) return; // unreachable while the rules agree with the schema

  const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  const nameIsValid = !errors.some((error) => error.property === 'name');
  const subject = nameIsValid ? `plugin "${metadata.name}"` : `plugin class "${className}"`;
  throw new InvalidPluginMetadataError(subject, problems);
}
