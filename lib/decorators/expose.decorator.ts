export interface ExposeOptions {
  /** the name callers use; the method's own name when omitted */
  name?: string;
}

/** What `@Expose()` records for one method. */
export interface ExposedMethodDeclaration {
  /** the method's property key on the prototype */
  readonly key: string | symbol;
  /** the name callers use */
  readonly name: string;
}

/** Per prototype, its own exposed methods: registration reads these instead of scanning every method. */
const exposedByPrototype = new WeakMap<object, ExposedMethodDeclaration[]>();

/**
 * Makes a method of the plugin class, or of any provider of the plugin's module,
 * callable through `PluginRegistry.call` and plugin handles. `@Expose('alias')`
 * publishes it under another name.
 */
export function Expose(nameOrOptions?: string | ExposeOptions): MethodDecorator {
  const options: ExposeOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return (prototype, key, descriptor) => {
    const declarations = exposedByPrototype.get(prototype) ?? [];
    declarations.push({ key, name: options.name ?? String(key) });
    exposedByPrototype.set(prototype, declarations);
    return descriptor;
  };
}

/** The exposed methods declared on `prototype` itself (not inherited ones). */
export function getOwnExposedMethods(prototype: object): readonly ExposedMethodDeclaration[] | undefined {
  return exposedByPrototype.get(prototype);
}
