import type { IsolationMode } from '../interfaces/isolation-options.interface.js';

/** The host's `forRoot({ isolation })`, for the parts of the library that register plugins. */
export const ISOLATION_CHOICES = Symbol('nestjs-plugins:IsolationChoices');
/** Boot plugins that run isolated: Nest never builds their modules in the host. */
export const ISOLATED_BOOT_PLUGINS = Symbol('nestjs-plugins:IsolatedBootPlugins');

/** The host's `forRoot({ sandbox })`, resolved to its default. */
export const SANDBOX_MODE = Symbol('nestjs-plugins:SandboxMode');

export type IsolationChoices = Readonly<Record<string, IsolationMode>>;
