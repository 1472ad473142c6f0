import type { ExposedMethodDeclaration } from '../../decorators/expose.decorator.js';
import { PluginArgumentValidationError, PluginCallTimeoutError } from '../../errors/index.js';
import { PluginCallContext } from '../../context/plugin-call-context.js';
import type { CallPermissions } from './call-permissions.js';
import { argumentProblems } from './validate-arguments.js';

type MethodFunction = (...args: unknown[]) => unknown;

/**
 * Wraps an exposed method in the checks its `@Expose` options ask for. Only methods with
 * options are wrapped, so every other call costs exactly what it did before.
 * Order: permissions (thrown at once, like the registry's other call errors), then
 * argument validation (the method does not run on invalid input), then the timeout.
 */
export function guardExposedMethod(
  fn: MethodFunction,
  declaration: ExposedMethodDeclaration,
  pluginName: string,
  permissions: CallPermissions,
): MethodFunction {
  const { permissions: required = [], timeoutMs, validate = false } = declaration.guard ?? {};
  const parameterTypes = declaration.parameterTypes ?? [];
  const methodName = declaration.name;
  return function guarded(this: unknown, ...args: unknown[]): unknown {
    if (required.length > 0) permissions.assertHeld(PluginCallContext.callerPluginId(), required, pluginName, methodName);
    const result = validate ? validatedCall(fn, this, args, parameterTypes, pluginName, methodName) : fn.apply(this, args);
    return timeoutMs === undefined ? result : settleWithin(result, timeoutMs, pluginName, methodName);
  };
}

async function validatedCall(
  fn: MethodFunction,
  target: unknown,
  args: unknown[],
  parameterTypes: readonly unknown[],
  pluginName: string,
  methodName: string,
): Promise<unknown> {
  const problems = await argumentProblems(parameterTypes, args);
  if (problems.length > 0) throw new PluginArgumentValidationError(pluginName, methodName, problems);
  return fn.apply(target, args);
}

/** A synchronous result is returned as it is: only something that can be late can time out. */
function settleWithin(result: unknown, timeoutMs: number, pluginName: string, methodName: string): unknown {
  if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') return result;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginCallTimeoutError(pluginName, methodName, timeoutMs)), timeoutMs);
  });
  return Promise.race([result as PromiseLike<unknown>, timeout]).finally(() => clearTimeout(timer));
}
