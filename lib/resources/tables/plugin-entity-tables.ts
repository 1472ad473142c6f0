import type { DataSource, EntityMetadata, EntitySchema } from 'typeorm';
import { InvalidPluginMetadataError } from '../../errors/index.js';
import { withSchemaLock } from './schema-lock.js';
import { entityTargetOf, isEntitySchema, type PluginEntity } from '../../metadata/entity-schema.js';
import { assertEngineNamesFit } from '../names/engine-name-length.js';
import { entityEngineNames } from '../names/entity-engine-names.js';
import { policyEngineNames } from '../names/policy-engine-names.js';
import type { ResourcePolicy } from '../resource-policy.js';

/** What TypeORM's decorators record about an entity's table (the part we rename). */
interface TableArgs {
  target: Function | string;
  name?: string;
}

/** What `@JoinTable()` records: a many-to-many relation's junction table, when it is named. */
interface JoinTableArgs {
  target: Function | string;
  name?: string;
}

interface MetadataArgsStorageLike {
  tables: TableArgs[];
  joinTables: JoinTableArgs[];
}

/**
 * Registers a plugin's entities with the running DataSource under their real table names
 * (`<plugin>_<table>` or the host's mapping), and takes them out again on unload.
 *
 * Only the plugin's own metadata is built, from a view of TypeORM's global decorator
 * storage in which just these entities' table names are replaced: the global storage
 * and the application's own entities are left untouched.
 */
export class PluginEntityTables {
  /** Registrations run one at a time: Nest builds plugin modules concurrently, and two synchronizations at once collide. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  /** Builds and adds the metadata; throws TableAccessDeniedError or InvalidPluginMetadataError (names too long) before changing anything. */
  register(entities: readonly PluginEntity[], policy: ResourcePolicy): Promise<EntityMetadata[]> {
    const registration = this.queue.then(() => this.registerNow(entities, policy));
    this.queue = registration.catch(() => undefined);
    return registration;
  }

  private async registerNow(entities: readonly PluginEntity[], policy: ResourcePolicy): Promise<EntityMetadata[]> {
    if (entities.length === 0) return [];
    // Entities register when Nest builds the plugin's module, before the host's own check at boot.
    assertEngineNamesFit(policy.pluginName, policyEngineNames(policy));
    const typeorm = await import('typeorm');
    const classes = entities.filter((entity): entity is Function => !isEntitySchema(entity));
    const schemas = entities.filter(isEntitySchema);
    const metadatas = [
      ...(classes.length === 0 ? [] : await this.build(typeorm.getMetadataArgsStorage() as unknown as MetadataArgsStorageLike, classes, policy)),
      ...(schemas.length === 0 ? [] : await this.build(await schemaStorage(schemas), schemas.map((schema) => entityTargetOf(schema) as Function), policy)),
    ];
    assertEngineNamesFit(policy.pluginName, entityEngineNames(metadatas));
    for (const metadata of metadatas) {
      this.dataSource.entityMetadatas.push(metadata);
      this.dataSource.entityMetadatasMap.set(metadata.target, metadata);
    }
    // Like the application's own entities: tables appear when the DataSource synchronizes. Under a
    // lock on PostgreSQL: instances booting together would otherwise each try to create the table.
    try {
      if (this.dataSource.options.synchronize) await withSchemaLock(this.dataSource, () => this.dataSource.synchronize());
    } catch (error) {
      this.unregister(metadatas);
      throw error;
    }
    return metadatas;
  }

  /** The entities' metadata, built from a view of `storage` in which just their table names are replaced. */
  private async build(storage: MetadataArgsStorageLike, entities: readonly Function[], policy: ResourcePolicy): Promise<EntityMetadata[]> {
    const { EntityMetadataBuilder } = await import('typeorm/metadata-builder/EntityMetadataBuilder.js');
    const realNames = new Map<Function, string>();
    for (const entity of entities) {
      const tableArgs = storage.tables.find((table) => table.target === entity);
      if (tableArgs === undefined) {
        throw new InvalidPluginMetadataError(`plugin "${policy.pluginName}"`, [`entity ${entity.name} is not decorated with @Entity()`]);
      }
      const declaredName = this.dataSource.namingStrategy.tableName(entity.name, tableArgs.name);
      realNames.set(entity, policy.realName('table', declaredName));
    }
    const renamedView: MetadataArgsStorageLike = Object.create(storage);
    renamedView.tables = storage.tables.map((table) =>
      typeof table.target === 'function' && realNames.has(table.target) ? { ...table, name: realNames.get(table.target) } : table,
    );
    // A junction table named in @JoinTable({ name }) is a table of the plugin's like the others,
    // never a name in the host's namespace (another plugin's or the application's table).
    renamedView.joinTables = storage.joinTables.map((joinTable) =>
      typeof joinTable.target === 'function' && realNames.has(joinTable.target) && joinTable.name !== undefined
        ? { ...joinTable, name: policy.realName('table', joinTable.name) }
        : joinTable,
    );
    return new EntityMetadataBuilder(this.dataSource, renamedView as never).build([...entities]);
  }

  /** Forgets the metadata (and cached repositories); the tables and their rows stay. */
  unregister(metadatas: readonly EntityMetadata[]): void {
    for (const metadata of metadatas) {
      const index = this.dataSource.entityMetadatas.indexOf(metadata);
      if (index !== -1) this.dataSource.entityMetadatas.splice(index, 1);
      this.dataSource.entityMetadatasMap.delete(metadata.target);
      (this.dataSource.manager as unknown as { repositories: Map<unknown, unknown> }).repositories.delete(metadata.target);
    }
  }
}

/** TypeORM's decorator storage as the schemas would have filled it (each schema's `target` is a class of its own). */
async function schemaStorage(schemas: readonly EntitySchema[]): Promise<MetadataArgsStorageLike> {
  const { EntitySchemaTransformer } = await import('typeorm/entity-schema/EntitySchemaTransformer.js');
  return new EntitySchemaTransformer().transform([...schemas]) as unknown as MetadataArgsStorageLike;
}
