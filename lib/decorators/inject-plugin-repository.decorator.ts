import { Inject } from '@nestjs/common';
import { sharedWeakMap } from '../metadata/shared-declarations.js';

const repositoryTokens = sharedWeakMap<Function, symbol>('repository-tokens');

/** The injection token of the plugin repository for `entity`, provided inside its plugin's module. */
export function pluginRepositoryToken(entity: Function): symbol {
  let token = repositoryTokens.get(entity);
  if (token === undefined) {
    token = Symbol(`PluginRepository<${entity.name}>`);
    repositoryTokens.set(entity, token);
  }
  return token;
}

/**
 * Injects a TypeORM `Repository` for one of the plugin's own `entities`, on its real
 * (prefixed or mapped) table. Works in any provider of the plugin's module.
 */
export const InjectPluginRepository = (entity: Function): PropertyDecorator & ParameterDecorator => Inject(pluginRepositoryToken(entity));
