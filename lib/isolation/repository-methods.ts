/**
 * Repository methods a guest may have the host run on the plugin's own entities. Not `query`
 * (raw SQL around the checks: raw SQL goes through `ctx.database.executeQuery`), nor anything
 * that hands out the manager or another entity's repository.
 */
export const REPOSITORY_METHODS: ReadonlySet<string> = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy',
  'count', 'countBy', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum',
  'save', 'insert', 'update', 'upsert', 'delete', 'remove', 'increment', 'decrement', 'preload', 'clear',
]);
