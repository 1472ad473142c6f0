import { PluginNotActiveError } from '../errors/index.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../interfaces/plugin-state.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { ExposedMethod } from './exposed-method.js';

export type BindExposedMethod = (method: ExposedMethod) => (...args: unknown[]) => unknown;

/** The part of a plugin's record that its handles read (the record passes itself). */
export interface HandledPlugin {
  readonly name: string;
  readonly metadata: Readonly<PluginMetadata>;
  readonly state: PluginState;
  readonly methods: ReadonlyMap<string, ExposedMethod>;
}

/**
 * A plugin's metadata plus one function per exposed method. While the plugin is active the
 * functions call straight through (no per-call state check); otherwise they throw
 * `PluginNotActiveError`. The record switches them.
 */
export class SwitchableHandle {
  readonly handle: PluginHandle;

  constructor(
    private readonly plugin: HandledPlugin,
    private readonly bind: BindExposedMethod,
  ) {
    this.handle = Object.defineProperty({}, 'metadata', { value: plugin.metadata, enumerable: true }) as PluginHandle;
    this.switchTo(plugin.state === 'active');
  }

  switchTo(active: boolean): void {
    const notActive = () => {
      throw new PluginNotActiveError(this.plugin.name);
    };
    for (const method of this.plugin.methods.values()) {
      Object.defineProperty(this.handle, method.name, {
        value: active ? this.bind(method) : notActive,
        enumerable: true,
        configurable: true,
        writable: false,
      });
    }
  }
}
