import type { QueryRunner, Table } from 'typeorm';

/**
 * What a database's schema holds, as facts keyed by object: `table "notes_note"`,
 * `column "notes_note"."text"` → `varchar(255) NOT NULL default 'x'`, `index …`, `foreign key …`,
 * and on PostgreSQL free-standing sequences and enum types. Two catalogues compare key by key.
 */
export type SchemaCatalogue = ReadonlyMap<string, string>;

/** Reads the tables of the current schema (SQLite: the main database) through TypeORM's own loader. */
export async function readSchemaCatalogue(runner: QueryRunner): Promise<SchemaCatalogue> {
  const postgres = runner.connection.options.type === 'postgres';
  const names = postgres
    ? await namesOf(runner, `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`)
    : await namesOf(runner, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`);
  const facts = new Map<string, string>();
  for (const table of names.length === 0 ? [] : await runner.getTables(names)) addTableFacts(facts, table);
  if (postgres) {
    for (const name of await namesOf(runner, `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'S'`)) {
      facts.set(`sequence "${name}"`, 'exists');
    }
    const enums = (await runner.query(
      `SELECT t.typname AS name, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
       WHERE n.nspname = current_schema() GROUP BY t.typname`,
    )) as { name: string; labels: string }[];
    for (const { name, labels } of enums) facts.set(`enum type "${name}"`, `(${labels})`);
  }
  return new Map([...facts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One line per difference, e.g. `column "notes_note"."text" changed: varchar(255) NOT NULL → text NULL`,
 * `table "notes_tag" is missing`, `index "notes_note"."IDX_x" is new: (text)`; empty when they agree.
 */
export function catalogueDifferences(expected: SchemaCatalogue, actual: SchemaCatalogue): string[] {
  const differences: string[] = [];
  for (const [key, description] of expected) {
    const now = actual.get(key);
    if (now === undefined) differences.push(`${key} is missing`);
    else if (now !== description) differences.push(`${key} changed: ${description} → ${now}`);
  }
  for (const [key, description] of actual) if (!expected.has(key)) differences.push(`${key} is new: ${description}`);
  return differences;
}

function addTableFacts(facts: Map<string, string>, table: Table): void {
  const of = `"${table.name}"`;
  const primary = table.columns.filter((column) => column.isPrimary).map((column) => column.name);
  facts.set(`table ${of}`, primary.length === 0 ? 'no primary key' : `primary key (${primary.join(', ')})`);
  for (const column of table.columns) {
    const type = column.length ? `${column.type}(${column.length})` : column.precision != null ? `${column.type}(${column.precision}${column.scale != null ? `, ${column.scale}` : ''})` : column.type;
    const parts = [type, column.isNullable ? 'NULL' : 'NOT NULL'];
    if (column.default !== undefined && column.default !== null) parts.push(`default ${String(column.default)}`);
    if (column.isGenerated) parts.push(`generated ${column.generationStrategy ?? ''}`.trim());
    if (column.isArray) parts.push('array');
    if (column.enum !== undefined && column.enum.length > 0) parts.push(`enum (${column.enum.join(', ')})`);
    if (column.asExpression !== undefined) parts.push(`as ${column.asExpression}`);
    facts.set(`column ${of}."${column.name}"`, parts.join(' '));
  }
  for (const index of table.indices) facts.set(`index ${of}."${index.name}"`, `${index.isUnique ? 'unique ' : ''}(${index.columnNames.join(', ')})${index.where ? ` where ${index.where}` : ''}`);
  for (const unique of table.uniques) facts.set(`unique constraint ${of}."${unique.name}"`, `(${unique.columnNames.join(', ')})`);
  for (const check of table.checks) facts.set(`check constraint ${of}."${check.name}"`, check.expression ?? '');
  for (const key of table.foreignKeys) {
    const actions = [key.onDelete && `on delete ${key.onDelete}`, key.onUpdate && `on update ${key.onUpdate}`].filter(Boolean).join(' ');
    facts.set(`foreign key ${of}."${key.name}"`, `(${key.columnNames.join(', ')}) → "${key.referencedTableName}" (${key.referencedColumnNames.join(', ')})${actions ? ` ${actions}` : ''}`);
  }
}

async function namesOf(runner: QueryRunner, sql: string): Promise<string[]> {
  return ((await runner.query(sql)) as { name: string }[]).map((row) => row.name);
}
