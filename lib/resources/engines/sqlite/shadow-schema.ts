import type { ProgramObjects } from './program-access.js';
import type { SqliteConnection } from './sqlite-connection.js';
import { foldName, SqliteSchemaSnapshot } from './sqlite-schema-snapshot.js';

/**
 * An empty in-memory database holding only a plugin's own tables and indexes, as the host's
 * schema defines them. A statement compiled here can name nothing else, so what it reaches
 * outside them reads the same whether the object exists in the host's database or not:
 * `no such table` either way.
 */
export class ShadowSchema {
  readonly objects: ProgramObjects;

  private constructor(
    readonly connection: SqliteConnection,
    snapshot: SqliteSchemaSnapshot,
    own: ReadonlySet<string>,
  ) {
    this.objects = { tableAt: (rootPage) => snapshot.tableAt(rootPage), allows: (table) => own.has(table) };
  }

  /** Built with the host connection's own SQLite build (its constructor), so both compile alike. */
  static build(host: SqliteConnection, definitions: readonly string[], own: ReadonlySet<string>): ShadowSchema {
    const Database = host.constructor as new (file: string) => SqliteConnection;
    const connection = new Database(':memory:');
    for (const definition of definitions) connection.exec(definition);
    return new ShadowSchema(connection, SqliteSchemaSnapshot.read(connection), own);
  }

  close(): void {
    this.connection.close();
  }
}

/** The plugin's real table names, case-folded. */
export function ownTables(realTableNames: readonly string[]): ReadonlySet<string> {
  return new Set(realTableNames.map(foldName));
}
