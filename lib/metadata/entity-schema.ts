import type { EntitySchema } from 'typeorm';

/**
 * `@Plugin({ entities })` holds entity classes, or TypeORM `EntitySchema`s: those stand in for the
 * classes of a `'process'` plugin the host described rather than imported (docs/isolation.md).
 */
export type PluginEntity = Function | EntitySchema;

/** Recognised by TypeORM's own mark, so TypeORM need not be loaded to tell. */
export function isEntitySchema(value: unknown): value is EntitySchema {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['@instanceof'] === Symbol.for('EntitySchema');
}

/** What TypeORM keys the entity's metadata by. */
export function entityTargetOf(entity: PluginEntity): Function | string {
  return isEntitySchema(entity) ? (entity.options.target ?? entity.options.name) : entity;
}

/** The entity's name: its class name, or the schema's `name`. */
export function entityNameOf(entity: PluginEntity): string {
  return isEntitySchema(entity) ? entity.options.name : entity.name;
}
