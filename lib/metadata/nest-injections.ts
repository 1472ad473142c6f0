import type { DynamicModule, ForwardReference, ModuleMetadata, Provider } from '@nestjs/common';

/**
 * What Nest will build for a module and inject into what it builds, read from the same
 * metadata Nest's scanner and injector read (their keys are not exported from Nest's root).
 * Nothing here instantiates or calls anything but `forwardRef` thunks, so it can run on
 * a plugin before Nest has built any of it.
 */

const PARAMTYPES = 'design:paramtypes';
/** `@Inject(token)` on a constructor parameter; wins over the parameter's type. */
const SELF_DECLARED_DEPS = 'self:paramtypes';
/** `@Inject(token)` on a property. */
const PROPERTY_DEPS = 'self:properties_metadata';
/** Guards, interceptors, filters and pipes: Nest instantiates those classes with DI too. */
const ENHANCER_KEYS = ['__guards__', '__interceptors__', '__exceptionFilters__', '__pipes__'];
const ROUTE_ARGS = '__routeArguments__';

export type ModuleDefinition = NonNullable<ModuleMetadata['imports']>[number];

/** A module as Nest compiles it: the class, plus what a dynamic module adds to its decorator's metadata. */
export interface ModuleParts {
  readonly moduleClass: Function;
  readonly dynamic?: DynamicModule;
  readonly imports: readonly ModuleDefinition[];
  readonly providers: readonly Provider[];
  readonly controllers: readonly Function[];
  readonly exports: readonly unknown[];
}

export async function moduleParts(definition: ModuleDefinition): Promise<ModuleParts | undefined> {
  const resolved: unknown = await unwrapForwardRef(await definition);
  if (typeof resolved === 'function') return partsOf(resolved, undefined);
  if (typeof resolved === 'object' && resolved !== null && typeof (resolved as DynamicModule).module === 'function') {
    return partsOf((resolved as DynamicModule).module, resolved as DynamicModule);
  }
  return undefined; // Nest itself refuses such an import
}

/** Entries Nest would refuse (`undefined` from a circular import, say) are left for Nest to report. */
function partsOf(moduleClass: Function, dynamic: DynamicModule | undefined): ModuleParts {
  return {
    moduleClass,
    dynamic,
    imports: [...listMetadata<ModuleDefinition>('imports', moduleClass), ...(dynamic?.imports ?? [])],
    providers: [...listMetadata<Provider>('providers', moduleClass), ...(dynamic?.providers ?? [])].filter(
      (provider) => typeof provider === 'function' || (typeof provider === 'object' && provider !== null),
    ),
    controllers: [...listMetadata<Function>('controllers', moduleClass), ...(dynamic?.controllers ?? [])].filter(
      (controller) => typeof controller === 'function',
    ),
    exports: [...listMetadata<unknown>('exports', moduleClass), ...(dynamic?.exports ?? [])],
  };
}

/** The token a provider registers. */
export function providedToken(provider: Provider): unknown {
  return typeof provider === 'function' ? provider : provider.provide;
}

/** Every token Nest injects to build this provider, and the classes it builds for it. */
export function providerInjections(provider: Provider): { tokens: unknown[]; classes: Function[] } {
  if (typeof provider === 'function') return { tokens: [], classes: [provider] };
  if ('useClass' in provider && typeof provider.useClass === 'function') return { tokens: [], classes: [provider.useClass] };
  if ('useFactory' in provider) {
    const tokens = (provider.inject ?? []).map((item) =>
      typeof item === 'object' && item !== null && 'token' in item ? item.token : item,
    );
    return { tokens: tokens.map(unwrapForwardRef), classes: [] };
  }
  if ('useExisting' in provider) return { tokens: [unwrapForwardRef(provider.useExisting)], classes: [] };
  return { tokens: [], classes: [] };
}

/** Constructor parameters (`@Inject` tokens over design types) and `@Inject` properties, as Nest's injector reads them. */
export function classInjections(cls: Function): unknown[] {
  const parameters: unknown[] = [...((Reflect.getMetadata(PARAMTYPES, cls) as unknown[] | undefined) ?? [])];
  for (const { index, param } of listMetadata<{ index: number; param: unknown }>(SELF_DECLARED_DEPS, cls)) parameters[index] = param;
  const properties = listMetadata<{ type: unknown }>(PROPERTY_DEPS, cls).map(({ type }) => type);
  return [...parameters, ...properties].map(unwrapForwardRef);
}

/** Enhancer classes (guards, interceptors, filters, pipes) declared on the class, its methods or their parameters. */
export function enhancerClasses(cls: Function): Function[] {
  const found: unknown[] = [];
  const methods = methodNames(cls.prototype as object | undefined);
  for (const key of ENHANCER_KEYS) {
    found.push(...listMetadata(key, cls));
    for (const method of methods) found.push(...((Reflect.getMetadata(key, (cls.prototype as Record<string, object>)[method]) as unknown[]) ?? []));
  }
  for (const method of methods) {
    for (const host of new Set([cls, (cls.prototype as { constructor: Function }).constructor])) {
      const routeArguments = (Reflect.getMetadata(ROUTE_ARGS, host, method) as Record<string, { pipes?: unknown[] }> | undefined) ?? {};
      for (const argument of Object.values(routeArguments)) found.push(...(argument.pipes ?? []));
    }
  }
  return found.filter((item): item is Function => typeof item === 'function');
}

function methodNames(prototype: object | undefined): string[] {
  const names = new Set<string>();
  for (let current = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current) as object) {
    for (const name of Object.getOwnPropertyNames(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

function listMetadata<T>(key: string, target: Function): T[] {
  const value: unknown = Reflect.getMetadata(key, target);
  return Array.isArray(value) ? (value as T[]) : [];
}

function unwrapForwardRef(value: unknown): unknown {
  return typeof value === 'object' && value !== null && typeof (value as ForwardReference).forwardRef === 'function'
    ? (value as ForwardReference).forwardRef()
    : value;
}
