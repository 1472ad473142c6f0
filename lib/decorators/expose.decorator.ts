import { sharedWeakMap } from '../metadata/shared-declarations.js';

/** Checks made on every call of a method, before (and around) it runs. */
export interface CallGuardOptions {
  /** the calling plugin must hold every one (requested in its `@Plugin({ permissions })` and granted by the host) */
  permissions?: string[];
  /** an async method not settled in time rejects with `PluginCallTimeoutError` */
  timeoutMs?: number;
  /** class-typed parameters are validated with class-validator before the method runs */
  validate?: boolean;
}

export interface ExposeOptions extends CallGuardOptions {
  /** the name callers use; the method's own name when omitted */
  name?: string;
}

/** What `@Expose()` records for one method. */
export interface ExposedMethodDeclaration {
  /** the method's property key on the prototype */
  readonly key: string | symbol;
  /** the name callers use */
  readonly name: string;
  /** absent for a method without guard options: such calls pay nothing for guards */
  readonly guard?: Readonly<CallGuardOptions>;
  /** the declared parameter types (`design:paramtypes`), kept for `validate` */
  readonly parameterTypes?: readonly unknown[];
}

/** Per prototype, its own exposed methods: registration reads these instead of scanning every method. */
const exposedByPrototype = sharedWeakMap<object, ExposedMethodDeclaration[]>('exposed-methods');

/**
 * Makes a method of the plugin class, or of any provider of the plugin's module,
 * callable through `PluginRegistry.call` and plugin handles. `@Expose('alias')`
 * publishes it under another name.
 */
export function Expose(nameOrOptions?: string | ExposeOptions): MethodDecorator {
  const options: ExposeOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return (prototype, key, descriptor) => {
    const declarations = exposedByPrototype.get(prototype) ?? [];
    const { name = String(key), ...guard } = options;
    const guarded = guard.permissions !== undefined || guard.timeoutMs !== undefined || guard.validate === true;
    declarations.push({
      key,
      name,
      ...(guarded ? { guard } : {}),
      ...(guard.validate === true ? { parameterTypes: Reflect.getMetadata('design:paramtypes', prototype, key) ?? [] } : {}),
    });
    exposedByPrototype.set(prototype, declarations);
    return descriptor;
  };
}

/** The exposed methods declared on `prototype` itself (not inherited ones). */
export function getOwnExposedMethods(prototype: object): readonly ExposedMethodDeclaration[] | undefined {
  return exposedByPrototype.get(prototype);
}
