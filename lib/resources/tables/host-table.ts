import type { DataSource, EntityMetadata } from 'typeorm';
import type { PluginEntity } from '../../metadata/entity-schema.js';
import { ResourcePolicy } from '../resource-policy.js';
import { createLibraryTable } from './library-table.js';
import type { PluginEntityTables } from './plugin-entity-tables.js';

/** The databases the library's own tables are written for and tested on. */
export type HostTableDialect = 'sqlite' | 'postgres';

/** Their TypeORM drivers. */
const DIALECTS: ReadonlyMap<string, HostTableDialect> = new Map([
  ['better-sqlite3', 'sqlite'],
  ['postgres', 'postgres'],
]);

/** The rows a statement returned, and how many it changed. */
export interface HostTableResult {
  readonly records: any[];
  readonly affected?: number;
}

/** The part of node-postgres' pool (TypeORM's PostgreSQL driver keeps it as `master`) a table uses. */
interface PgPool {
  query(text: string, values: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

/** What a capability says of its table; the row class documents the DDL. */
export interface HostTableDefinition {
  /** The policy's name. */
  readonly name: string;
  /** The name the row declares; `table` is what it is really called. */
  readonly declaredTable: string;
  /** The library's own table: not prefixed by any plugin. */
  readonly table: string;
  /** The row class. Loaded on registration, not when the library is imported: its decorators need `typeorm`, an optional peer. */
  readonly loadRow: () => Promise<PluginEntity>;
}

/** The dialect the library's tables are written in on this DataSource, if it is one of them. */
export function hostTableDialect(tables: PluginEntityTables): HostTableDialect | undefined {
  return DIALECTS.get(tables.dataSource.options.type);
}

/**
 * A table the library keeps in the application's database beside the plugins' (shared data,
 * task leases). A row class describes it for TypeORM so that a DataSource with
 * `synchronize: true` creates it; without `synchronize` the host creates it with the DDL the
 * row documents. Reads and writes are plain SQL, one statement each, not a repository.
 */
export class HostTable {
  private readonly policy: ResourcePolicy;

  constructor(private readonly definition: HostTableDefinition) {
    // Allows the row's declared table and maps it to the library's own, unprefixed, table.
    const { name, declaredTable, table } = definition;
    this.policy = new ResourcePolicy(name, { name, allowedTables: [declaredTable] }, { tableNameMap: { [declaredTable]: table } });
  }

  /**
   * Adds the row to the application's DataSource as plugin entities are added, and through
   * the same queue, so its synchronization never overlaps theirs; without `synchronize` the
   * host creates it (`createLibraryTable`). The DataSource must be of a `hostTableDialect`.
   */
  async register(tables: PluginEntityTables): Promise<HostTableSql> {
    const row = await this.definition.loadRow();
    const [metadata] = await tables.register([row], this.policy);
    await createLibraryTable(tables.dataSource, metadata!);
    return new HostTableSql(tables.dataSource, metadata!, hostTableDialect(tables)!);
  }
}

/** A registered table as its statements see it: quoted names, the driver's placeholders, and a way to run them. */
export class HostTableSql {
  /** The table's path, quoted. */
  readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metadata: EntityMetadata,
    readonly dialect: HostTableDialect,
  ) {
    this.table = metadata.tablePath
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
  }

  /** The columns of the row's properties as the database names them, quoted. */
  columns<Property extends string>(properties: readonly Property[]): Record<Property, string> {
    const column = (property: Property) => `"${this.metadata.findColumnWithPropertyName(property)!.databaseName}"`;
    return Object.fromEntries(properties.map((property) => [property, column(property)])) as Record<Property, string>;
  }

  /** The placeholder of parameter `index`: `?` in SQLite, `$n` in PostgreSQL. */
  readonly param = (index: number): string => this.dataSource.driver.createParameter(`p${index}`, index);

  /**
   * Runs one statement. On PostgreSQL straight on the DataSource's pool: a TypeORM query runner
   * per statement cost about as much as the statement's own round trip. Elsewhere on a query
   * runner of its own (better-sqlite3 caches prepared statements by text there).
   */
  async run(sql: string, parameters: unknown[]): Promise<HostTableResult> {
    const pool = this.dialect === 'postgres' ? (this.dataSource.driver as { master?: PgPool }).master : undefined;
    if (pool !== undefined) {
      const { rows, rowCount } = await pool.query(sql, parameters);
      return { records: rows, affected: rowCount ?? undefined };
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      return await runner.query(sql, parameters, true);
    } finally {
      await runner.release();
    }
  }
}
