import type { EntityMetadata } from 'typeorm';
import type { EngineName } from './engine-name-length.js';

/**
 * The names a plugin's entities create in the database: tables (junction and closure tables
 * included), indexes, unique, check, exclusion, primary and foreign key constraints, and the
 * enum types PostgreSQL makes for enum columns. Names TypeORM generates are hashed and short;
 * explicit ones (`@Index('name')`, `@Unique('name', …)`, `enumName`) and derived enum types are
 * not. The sequence of a serial column is `<table>_<column>_seq`: past 63 bytes
 * PostgreSQL picks a shorter free name (so two plugins never share one), but TypeORM then looks
 * for another name and drops the column's default on the next synchronize.
 */
export function entityEngineNames(metadatas: readonly EntityMetadata[]): EngineName[] {
  return metadatas.flatMap((metadata) => {
    const of = `of entity ${metadata.name}`;
    const named = (kind: string, objects: readonly { name: string }[]) => objects.map(({ name }) => ({ what: `${kind} ${of}`, realName: name }));
    return [
      { what: `table ${of}`, realName: metadata.tableName },
      ...named('index', metadata.indices),
      ...named('unique constraint', metadata.uniques),
      ...named('check constraint', metadata.checks),
      ...named('exclusion constraint', metadata.exclusions),
      ...named('foreign key', metadata.foreignKeys),
      ...metadata.primaryColumns
        .filter((column) => column.primaryKeyConstraintName !== undefined)
        .map((column) => ({ what: `primary key ${of}`, realName: column.primaryKeyConstraintName! })),
      ...metadata.columns
        .filter((column) => column.isGenerated && column.generationStrategy === 'increment')
        .map((column) => ({ what: `sequence of column ${metadata.name}.${column.propertyName}`, realName: `${metadata.tableName}_${column.databaseName}_seq` })),
      ...metadata.columns
        .filter((column) => column.type === 'enum' || column.type === 'simple-enum')
        .map((column) => ({
          what: `enum type of column ${metadata.name}.${column.propertyName}`,
          realName: column.enumName ?? `${metadata.tableName}_${column.databaseName.toLowerCase()}_enum`,
        })),
    ];
  });
}
