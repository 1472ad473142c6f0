import type { SqliteConnection } from './sqlite-connection.js';

interface SchemaEntry {
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
    private readonly entries: readonly SchemaEntry[],
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
   * is dropped: it would bring `sqlite_sequence`, a table every plugin shares, into the copy.
   */
  definitionsOf(tables: ReadonlySet<string>): string[] {
    const own = this.entries.filter((entry) => entry.sql !== null && tables.has(foldName(entry.tbl_name)));
    const ordered = [...own.filter((entry) => entry.type === 'table'), ...own.filter((entry) => entry.type === 'index')];
    return ordered.map((entry) => entry.sql!.replace(/\bAUTOINCREMENT\b/gi, ''));
  }
}

/** SQLite compares identifiers case-insensitively (ASCII), quoted or not. */
export function foldName(name: string): string {
  return name.toLowerCase();
}
