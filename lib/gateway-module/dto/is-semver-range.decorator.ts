import { validRange } from 'semver';
import { ValidateBy, type ValidationArguments } from 'class-validator';

/** A semver range (`^1.0.0`, `>=2 <3`, `*`). */
export const IsSemverRange = (): PropertyDecorator =>
  ValidateBy({
    name: 'isSemverRange',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && validRange(value) !== null,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} must be a semver range (got ${JSON.stringify(args!.value)})`,
    },
  });
