import type { SqliteConnection } from './sqlite-connection.js';

export interface SchemaEntry {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly rootpage: number | null;
  readonly sql: string | null;
}

/** The main database's schema at one `schema_version`: which table each root page belongs to. */
export class SqliteSchemaSnapshot {
  private readonly tables = new Map<number, string>();

  constructor(
    readonly version: number,
    readonly entries: readonly SchemaEntry[],
  ) {
    for (const entry of entries) if (entry.rootpage) this.tables.set(entry.rootpage, foldName(entry.tbl_name));
  }

  static read(connection: SqliteConnection): SqliteSchemaSnapshot {
    const version = Number(connection.prepare('PRAGMA main.schema_version').pluck().get());
    const entries = connection.prepare('SELECT type, name, tbl_name, rootpage, sql FROM main.sqlite_schema').all() as SchemaEntry[];
    return new SqliteSchemaSnapshot(version, entries);
  }

  /** The (case-folded) table a table or index root page belongs to. */
  tableAt(rootPage: number): string | undefined {
    return this.tables.get(rootPage);
  }

  /**
   * The CREATE statements of these tables and of their indexes, tables first. AUTOINCREMENT
   * is dropped unless `keepAutoincrement`: it would bring `sqlite_sequence`, a table every plugin
   * shares, into the copy (a copy that only answers catalogue reads keeps it, as they show it).
   */
  definitionsOf(tables: ReadonlySet<string>, keepAutoincrement = false): string[] {
    const own = this.entries.filter((entry) => entry.sql !== null && tables.has(foldName(entry.tbl_name)));
    const ordered = [...own.filter((entry) => entry.type === 'table'), ...own.filter((entry) => entry.type === 'index')];
    return ordered.map((entry) => (keepAutoincrement ? entry.sql! : entry.sql!.replace(/\bAUTOINCREMENT\b/gi, '')));
  }
}

/** SQLite compares identifiers case-insensitively (ASCII), quoted or not. */
export function foldName(name: string): string {
  return name.toLowerCase();
}
