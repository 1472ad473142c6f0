import { ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * Present in the body: any JSON value, `null`, `false`, `0` and `""` included. JSON cannot
 * carry `undefined`, so only a missing field is refused (`@IsDefined` would refuse `null` too).
 */
export const IsJsonValuePresent = (): PropertyDecorator =>
  ValidateBy({
    name: 'isJsonValuePresent',
    validator: {
      validate: (value: unknown) => value !== undefined,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} is required (any JSON value, null included)`,
    },
  });
