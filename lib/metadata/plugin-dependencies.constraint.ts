import { ValidatorConstraint, type ValidatorConstraintInterface, type ValidationArguments } from 'class-validator';
import { dependencyProblems } from './plugin-dependencies.problems.js';

/**
 * `dependencies`: every item at once. class-validator keeps one message per constraint,
 * so the item problems are joined into it; they are recomputed there, on the failure path only.
 */
@ValidatorConstraint({ name: 'pluginDependencies' })
export class PluginDependenciesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return dependencyProblems(value).length === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return dependencyProblems(args.value).join('; ');
  }
}
