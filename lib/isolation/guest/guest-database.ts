import type { ScopedDatabase } from '../../interfaces/facets/database.facet.js';
import type { HostFunctions } from '../guest-protocol.js';
import { REPOSITORY_METHODS } from '../repository-methods.js';
import type { RpcChannel } from '../rpc-channel.js';

type EntityClass = new () => object;

/** Repository methods whose results are entities (or lists of them), rebuilt as instances of the entity class. */
const ENTITY_RESULTS = new Set(['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'save', 'preload']);

/**
 * `ctx.database` in a guest: raw SQL and repository calls run on the host, which checks them
 * against the plugin's scope exactly as for an inline plugin. A repository is a proxy whose
 * every allowed method (`REPOSITORY_METHODS`) is asynchronous; `create` and `merge` need no database.
 */
export class GuestDatabase implements ScopedDatabase {
  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly entities: readonly EntityClass[],
    private readonly assertValid: () => void,
  ) {}

  async ready(): Promise<readonly unknown[]> {
    this.assertValid();
    await this.host.databaseReady();
    return [];
  }

  executeQuery<T = any>(sql: string, params?: unknown[]): Promise<T> {
    this.assertValid();
    return this.host.executeQuery(sql, params) as Promise<T>;
  }

  getRepository<T extends object>(entity: new () => T): any {
    this.assertValid();
    const entityClass = this.entities.find((candidate) => candidate === entity) ?? entity;
    const host = this.host;
    const local: Record<string, (...args: any[]) => unknown> = {
      create: (plain: object = {}) => Object.assign(new entityClass(), plain),
      merge: (target: object, ...sources: object[]) => Object.assign(target, ...sources),
    };
    return new Proxy(local, {
      get: (target, method) => {
        if (typeof method !== 'string') return undefined;
        if (method in target) return target[method];
        // Anything else is not there: Nest probes providers for hooks such as `onModuleInit`.
        if (!REPOSITORY_METHODS.has(method)) return undefined;
        return async (...args: unknown[]) => {
          this.assertValid();
          const result = await host.repository(entityClass.name, method, args);
          return ENTITY_RESULTS.has(method) ? revive(result, entityClass) : result;
        };
      },
    });
  }
}

function revive(result: unknown, entityClass: EntityClass): unknown {
  if (Array.isArray(result)) return result.map((item) => revive(item, entityClass));
  return typeof result === 'object' && result !== null ? Object.assign(new entityClass(), result) : result;
}
