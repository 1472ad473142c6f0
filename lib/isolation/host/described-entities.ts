import type { EntitySchema } from 'typeorm';
import type { WireEntitySchema } from '../plugin-description.js';

/** The constructors a described column type may name (`{ $constructor: 'String' }`). */
const CONSTRUCTORS: Readonly<Record<string, Function>> = { String, Number, Boolean, Date, Buffer, Object, Array };

/**
 * The host's stand-ins for a described plugin's entities: TypeORM `EntitySchema`s built from the
 * guest's description, each with a class of its own as `target`, so two plugins with an entity
 * of the same name never share TypeORM metadata. Rows the host reads are plain data to the guest.
 */
export async function describedEntitySchemas(entities: readonly WireEntitySchema[]): Promise<EntitySchema[]> {
  if (entities.length === 0) return [];
  const typeorm = await import('typeorm');
  return entities.map(({ name, options }) => {
    const target = { [name]: class {} }[name];
    const columns = Object.fromEntries(Object.entries((options.columns ?? {}) as Record<string, Record<string, unknown>>).map(([property, column]) => [property, fromWire(column)]));
    return new typeorm.EntitySchema({ ...options, columns, name, target } as never);
  });
}

function fromWire({ type, default: defaultValue, ...column }: Record<string, unknown>): Record<string, unknown> {
  return {
    ...column,
    ...(type === undefined ? {} : { type: isWire(type, '$constructor') ? constructorNamed(type.$constructor) : type }),
    ...(defaultValue === undefined ? {} : { default: isWire(defaultValue, '$sql') ? () => String(defaultValue.$sql) : defaultValue }),
  };
}

function constructorNamed(name: unknown): Function | undefined {
  return typeof name === 'string' && Object.hasOwn(CONSTRUCTORS, name) ? CONSTRUCTORS[name] : undefined;
}

function isWire<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key);
}
