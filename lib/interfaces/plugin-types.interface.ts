import type { PluginMetadata } from './plugin-metadata.interface.js';

/**
 * Maps plugin names to their API types. Empty here; applications extend it once:
 *
 * ```ts
 * declare module 'nestjs-plugins' {
 *   interface PluginTypes { 'user-utils': Pick<UserUtilsPlugin, 'getScore' | 'addScore'> }
 * }
 * ```
 * Declared names are checked at compile time in `call()` and `get()`; others fall back to `unknown`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PluginTypes {}

/** Names of hooks the library or Nest calls; never part of a plugin's callable API. */
type LifecycleHookName =
  | 'onPluginInit'
  | 'onPluginDestroy'
  | 'onModuleInit'
  | 'onModuleDestroy'
  | 'onApplicationBootstrap'
  | 'beforeApplicationShutdown'
  | 'onApplicationShutdown';

type AnyMethod = (...args: any[]) => any;

/** The method names of an API type: its function-valued keys, lifecycle hooks excluded. */
export type ExposedMethodName<T> = Exclude<
  { [K in keyof T]-?: T[K] extends AnyMethod ? K : never }[keyof T] & string,
  LifecycleHookName
>;

/** The callable surface of an API type. */
export type ExposedMethods<T> = { [K in ExposedMethodName<T>]: T[K] };

/** A plugin's metadata plus its exposed methods; untyped plugins accept any method name. */
export type PluginHandle<T = unknown> = { readonly metadata: Readonly<PluginMetadata> } & (unknown extends T
  ? { readonly [method: string]: AnyMethod }
  : ExposedMethods<T>);

export type DeclaredPluginName = keyof PluginTypes & string;

/** Rejects declared names, so the untyped overload cannot swallow a typed misuse. */
export type UndeclaredPluginName<N extends string> = N extends DeclaredPluginName ? never : N;

export type MethodParameters<T, M extends ExposedMethodName<T>> = T[M] extends AnyMethod ? Parameters<T[M]> : never;
export type MethodResult<T, M extends ExposedMethodName<T>> = T[M] extends AnyMethod ? ReturnType<T[M]> : never;

/** Method names a call accepts: a declared plugin's exposed methods, any name for other plugins. */
export type CallableMethodName<N extends string> = N extends DeclaredPluginName ? ExposedMethodName<PluginTypes[N]> : string;

/** Arguments of a call: the method's parameters for a declared plugin, anything for other plugins. */
export type CallArguments<N extends string, M extends string> = N extends DeclaredPluginName
  ? M extends ExposedMethodName<PluginTypes[N]>
    ? MethodParameters<PluginTypes[N], M>
    : never
  : unknown[];

/** What a call returns: the method's result for a declared plugin, `unknown` for other plugins. */
export type CallResult<N extends string, M extends string> = N extends DeclaredPluginName
  ? M extends ExposedMethodName<PluginTypes[N]>
    ? MethodResult<PluginTypes[N], M>
    : never
  : unknown;
