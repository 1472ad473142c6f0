import { ContextInvalidatedError } from '../errors/index.js';
import type { FacetTable, GuestFacetName, PluginFacets } from '../interfaces/facets/plugin-facets.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';

/** The facets every real context has; the host's and the guest's tables narrow them to their own classes. */
export type ContextFacets = Pick<PluginFacets, GuestFacetName>;

/**
 * A plugin's context made from a facet table: each member is made by its factory on first use
 * (most plugins touch few, and boot makes a context per plugin) and kept; once the context is
 * invalidated, every member throws `ContextInvalidatedError`. The host's and the guest's contexts
 * differ only in their tables. The table and what it made stay in private fields (`#`): walking
 * the context's properties reaches no host object (docs/security.md).
 */
export abstract class FacetContext<F extends ContextFacets> {
  #isValid = true;
  readonly #made: { -readonly [K in keyof F]?: F[K] } = {};
  readonly #metadata: Readonly<PluginMetadata>;
  readonly #table: FacetTable<F>;
  readonly #assertValid = (): void => {
    if (!this.#isValid) throw new ContextInvalidatedError(this.#metadata.name);
  };

  protected constructor(metadata: Readonly<PluginMetadata>, table: FacetTable<F>) {
    this.#metadata = metadata;
    this.#table = table;
  }

  get plugin(): Readonly<PluginMetadata> {
    this.#assertValid();
    return this.#metadata;
  }

  get valid(): boolean {
    return this.#isValid;
  }

  get config(): F['config'] {
    this.#assertValid();
    return (this.#made.config ??= this.#table.config(this.#assertValid));
  }

  get logger(): F['logger'] {
    this.#assertValid();
    return (this.#made.logger ??= this.#table.logger(this.#assertValid));
  }

  get eventBus(): F['eventBus'] {
    this.#assertValid();
    return (this.#made.eventBus ??= this.#table.eventBus(this.#assertValid));
  }

  get http(): F['http'] {
    this.#assertValid();
    return (this.#made.http ??= this.#table.http(this.#assertValid));
  }

  get database(): F['database'] {
    this.#assertValid();
    return (this.#made.database ??= this.#table.database(this.#assertValid));
  }

  get topics(): F['topics'] {
    this.#assertValid();
    return (this.#made.topics ??= this.#table.topics(this.#assertValid));
  }

  get buckets(): F['buckets'] {
    this.#assertValid();
    return (this.#made.buckets ??= this.#table.buckets(this.#assertValid));
  }

  get sharedData(): F['sharedData'] {
    this.#assertValid();
    return (this.#made.sharedData ??= this.#table.sharedData(this.#assertValid));
  }

  call(pluginId: string, method: string, ...args: unknown[]): any {
    this.#assertValid();
    return (this.#made.call ??= this.#table.call(this.#assertValid)).call(pluginId, method, ...args);
  }

  getDependency(name: string): PluginHandle<any> | undefined {
    return this.facet('call').getDependency(name);
  }

  getDependencies(): Map<string, PluginHandle> {
    return this.facet('call').getDependencies();
  }

  /**
   * The facet, made on first use; throws once the context is invalidated. The members above
   * spell this out with the facet's own name: a property read at each site stays monomorphic,
   * where one keyed read serving every facet cost `ctx.topics.send` a fifth of its time.
   */
  protected facet<K extends keyof F>(name: K): F[K] {
    this.#assertValid();
    return (this.#made[name] ??= this.#table[name](this.#assertValid))!;
  }

  /** The facet if it was made, whether or not the context is still valid: for delivering and tearing down. */
  protected madeFacet<K extends keyof F>(name: K): F[K] | undefined {
    return this.#made[name];
  }

  /** From now on every member throws `ContextInvalidatedError`. */
  protected markInvalid(): void {
    this.#isValid = false;
  }
}
