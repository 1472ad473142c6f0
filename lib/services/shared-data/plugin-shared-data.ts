import type { SharedDataClient, SharedDataListOptions, SharedDataSetOptions } from '../../interfaces/facets/shared-data.facet.js';
import type { SharedDataService } from './shared-data.service.js';

/** `ctx.sharedData` of one plugin: the service, with the plugin as owner; unusable once the plugin is unloaded. */
export class PluginSharedData implements SharedDataClient {
  readonly #service: SharedDataService;
  readonly #pluginName: string;
  readonly #assertValid: () => void;

  constructor(service: SharedDataService, pluginName: string, assertValid: () => void) {
    this.#service = service;
    this.#pluginName = pluginName;
    this.#assertValid = assertValid;
  }

  async set(namespace: string, key: string, value: unknown, options: SharedDataSetOptions = {}): Promise<void> {
    this.#assertValid();
    // The plugin name last: a plugin cannot pass another owner.
    await this.#service.set(namespace, key, value, { ...options, ownerId: this.#pluginName });
  }

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    this.#assertValid();
    return this.#service.get<T>(namespace, key);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    this.#assertValid();
    return this.#service.delete(namespace, key, this.#pluginName);
  }

  async list(namespace: string, options?: SharedDataListOptions): Promise<string[]> {
    this.#assertValid();
    return this.#service.list(namespace, options);
  }
}
