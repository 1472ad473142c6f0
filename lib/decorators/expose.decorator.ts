import { EXPOSED_METHOD } from '../constants.js';

export interface ExposeOptions {
  /** the name callers use; the method's own name when omitted */
  name?: string;
}

/** What `@Expose()` records on a method. */
export interface ExposedMethodMetadata {
  readonly name: string;
}

/**
 * Makes a method of the plugin class, or of any provider of the plugin's module,
 * callable through `PluginRegistry.call` and plugin handles. `@Expose('alias')`
 * publishes it under another name.
 */
export function Expose(nameOrOptions?: string | ExposeOptions): MethodDecorator {
  const options: ExposeOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return (_target, propertyKey, descriptor) => {
    const metadata: ExposedMethodMetadata = { name: options.name ?? String(propertyKey) };
    Reflect.defineMetadata(EXPOSED_METHOD, metadata, descriptor.value as object);
    return descriptor;
  };
}

export function getExposedMethodMetadata(method: unknown): ExposedMethodMetadata | undefined {
  return typeof method === 'function' ? Reflect.getMetadata(EXPOSED_METHOD, method) : undefined;
}
