/** Injection tokens, metadata keys and event names shared by the library's parts. */

/** The key under which Nest's `@Module()` stores `imports` (not exported from Nest's root). */
export const NEST_MODULE_IMPORTS = 'imports';

/** Injection token of a plugin's own `PluginContext`, provided inside each plugin module (the same in every copy of the library). */
export const PLUGIN_CONTEXT = Symbol.for('nestjs-plugins:PluginContext');
/**
 * Token under which `PluginContexts` is provided to plugin modules: a `Symbol.for` key, because
 * a plugin package decorated by another copy of the library asks for it by this token, not by our class.
 */
export const PLUGIN_CONTEXTS = Symbol.for('nestjs-plugins:PluginContexts');
/** Plugin classes PluginModule knows before Nest scans (from `plugins` and `pluginsDir`). */
export const BOOT_PLUGIN_CLASSES = Symbol('nestjs-plugins:BootPluginClasses');
/** The application's EventEmitter2, or a private one when the app has no EventEmitterModule. */
export const PLUGIN_EVENT_EMITTER = Symbol('nestjs-plugins:EventEmitter');
/** Options of `PluginModule.forRoot` / `forRootAsync` (the non-static part). */
export const PLUGIN_MODULE_OPTIONS = Symbol('nestjs-plugins:PluginModuleOptions');
/** Lifecycle events emitted on the application's EventEmitter2. */
export const PLUGIN_ERROR_EVENT = 'plugin:error';
export const PLUGIN_LOADED_EVENT = 'plugin:loaded';
export const PLUGIN_UNLOADED_EVENT = 'plugin:unloaded';
/** An isolated plugin crashed and is to be restarted (`PluginRestartingEvent`); the crash it does not come back from is `plugin:error`. */
export const PLUGIN_RESTARTING_EVENT = 'plugin:restarting';
/** The application's TypeORM DataSource, or null when the app has none (or no TypeORM installed). */
export const PLUGIN_DATA_SOURCE = Symbol('nestjs-plugins:DataSource');
