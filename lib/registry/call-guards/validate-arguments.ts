import type { ValidationError } from 'class-validator';
import { loadValidationLibraries } from '../../metadata/validation-libraries.js';

/** Parameter types that are not classes to validate (what `design:paramtypes` gives for primitives and interfaces). */
const UNVALIDATED_TYPES: ReadonlySet<unknown> = new Set([String, Number, Boolean, Symbol, BigInt, Object, Array, Function, Promise, Date, undefined]);

/**
 * Like Nest's ValidationPipe: each argument whose declared parameter type is a class is
 * turned into an instance of it (class-transformer) and checked with class-validator.
 * Returns one line per failed constraint; empty when every argument is valid.
 */
export async function argumentProblems(parameterTypes: readonly unknown[], args: readonly unknown[]): Promise<string[]> {
  const problems: string[] = [];
  const { validator, transformer } = await loadValidationLibraries();
  for (let index = 0; index < parameterTypes.length; index++) {
    const type = parameterTypes[index];
    if (UNVALIDATED_TYPES.has(type) || typeof type !== 'function') continue;
    const argument = args[index];
    const label = `argument ${index} (${type.name})`;
    if (typeof argument !== 'object' || argument === null) {
      problems.push(`${label} must be an object`);
      continue;
    }
    const instance = argument instanceof type ? argument : transformer.plainToInstance(type as new () => object, argument);
    const errors = await validator.validate(instance as object, { forbidUnknownValues: true });
    problems.push(...errors.flatMap((error) => constraintLines(error, '')).map((line) => `${label}: ${line}`));
  }
  return problems;
}

/** Nested errors (`@ValidateNested`) keep their path: `address.city must be a string`. */
function constraintLines(error: ValidationError, parentPath: string): string[] {
  const path = parentPath === '' ? error.property : `${parentPath}.${error.property}`;
  const own = Object.values(error.constraints ?? {}).map((message) => (parentPath === '' ? message : `${parentPath}.${message}`));
  return [...own, ...(error.children ?? []).flatMap((child) => constraintLines(child, path))];
}
