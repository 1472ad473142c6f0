import { IsString, Matches, Validate, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import type { Type } from '@nestjs/common';
import type { PluginDependency, PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { PluginDependenciesConstraint } from './plugin-dependencies.constraint.js';
import type { IsolationLimits, IsolationMode, RestartOptions } from '../interfaces/isolation-options.interface.js';
import {
  ENV_NAME_PATTERN,
  MAX_TOPIC_NAME_LENGTH,
  isClass,
  isClassArray,
  isEnvNameArray,
  isMigrationClassArray,
  isIsolationLimits,
  isIsolationMode,
  isNonEmptyStringArray,
  isRestartOptions,
  isSemverRange,
  isSemverVersion,
  isTopicNameArray,
} from './plugin-metadata.rules.js';
import { PLUGIN_NAME_PATTERN, describeValue, nameProblem } from './problem-text.js';

/** Skips the field's rules when it is absent; unlike @IsOptional, `null` is still checked. */
const Optional = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

const got = ({ value }: ValidationArguments): string => `(got ${describeValue(value)})`;

const IsSemverVersion = (): PropertyDecorator =>
  ValidateBy({
    name: 'isSemverVersion',
    validator: {
      validate: isSemverVersion,
      defaultMessage: (args?: ValidationArguments) => `version must be a valid semver ${got(args!)}`,
    },
  });

const IsSemverRange = (): PropertyDecorator =>
  ValidateBy({
    name: 'isSemverRange',
    validator: {
      validate: isSemverRange,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} must be a valid semver range ${got(args!)}`,
    },
  });

const IsClass = (): PropertyDecorator =>
  ValidateBy({
    name: 'isClass',
    validator: {
      validate: isClass,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} must be a class ${got(args!)}`,
    },
  });

const IsArrayOf = (name: string, what: string, rule: (value: unknown) => boolean): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: rule,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} must be an array of ${what}`,
    },
  });

const IsNonEmptyStringArray = (): PropertyDecorator =>
  IsArrayOf('isNonEmptyStringArray', 'non-empty strings', isNonEmptyStringArray);

const IsClassArray = (): PropertyDecorator =>
  IsArrayOf('isClassArray', 'classes', isClassArray);

const IsTopicNameArray = (): PropertyDecorator =>
  IsArrayOf('isTopicNameArray', `non-empty strings of at most ${MAX_TOPIC_NAME_LENGTH} characters`, isTopicNameArray);

const IsRule = (name: string, rule: (value: unknown) => boolean, expected: string): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: rule,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} must be ${expected} ${got(args!)}`,
    },
  });

/**
 * What class-validator checks `PluginMetadata` against. Properties are declared in the
 * order problems are reported: class-validator reports them in declaration order.
 * One rule per property, so each failing field yields exactly one problem.
 */
export class PluginMetadataSchema implements PluginMetadata {
  @Matches(PLUGIN_NAME_PATTERN, { message: ({ value }: ValidationArguments) => nameProblem('name', value) })
  name!: string;

  @IsSemverVersion()
  version!: string;

  @Optional()
  @IsString({ message: (args: ValidationArguments) => `description must be a string ${got(args)}` })
  description?: string;

  @Optional()
  @Validate(PluginDependenciesConstraint)
  dependencies?: PluginDependency[];

  @Optional()
  @IsClassArray()
  entities?: Type<unknown>[];

  @Optional()
  @IsArrayOf('isMigrationClassArray', 'migration classes (with up and down methods), each named once', isMigrationClassArray)
  migrations?: PluginMetadata['migrations'];

  @Optional()
  @IsNonEmptyStringArray()
  allowedTables?: string[];

  @Optional()
  @IsTopicNameArray()
  allowedTopics?: PluginMetadata['allowedTopics'];

  @Optional()
  @IsNonEmptyStringArray()
  allowedBuckets?: string[];

  @Optional()
  @IsNonEmptyStringArray()
  permissions?: string[];

  @Optional()
  @IsClass()
  configSchema?: Type<object>;

  @Optional()
  @IsSemverRange()
  hostRange?: string;

  @Optional()
  @IsRule('isIsolationMode', isIsolationMode, '"inline", "thread" or "process"')
  isolation?: IsolationMode;

  @Optional()
  @IsRule('isIsolationLimits', isIsolationLimits, '{ maxOldGenerationSizeMb?, callTimeoutMs? } with positive whole numbers')
  resourceLimits?: IsolationLimits;

  @Optional()
  @IsRule('isRestartOptions', isRestartOptions, '{ maxRestarts?, windowMs? } with whole numbers (windowMs positive)')
  restart?: RestartOptions;

  @Optional()
  @IsRule('isEnvNameArray', isEnvNameArray, `an array of environment variable names matching ${ENV_NAME_PATTERN}`)
  env?: string[];
}
