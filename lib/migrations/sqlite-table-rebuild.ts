import type { MigrationStatement } from './migration-file.js';

const RENAME_AWAY = /^ALTER TABLE "([^"]+)" RENAME TO "temporary_\1"$/;

/**
 * TypeORM undoes a SQLite table rebuild by renaming the table away first
 * (`ALTER TABLE "x" RENAME TO "temporary_x"`, `CREATE TABLE "x"`, copy, `DROP TABLE "temporary_x"`).
 * Since SQLite 3.26 a rename also rewrites other tables' foreign keys to the new name, so a table
 * another references would be left pointing at the dropped `temporary_x`. Rewritten in the order
 * TypeORM's own `up` uses — build `temporary_x`, copy, drop `x`, rename `temporary_x` to `x` — no
 * reference ever follows a rename away. Other statements stay as they are.
 */
export function withoutRenameAway(statements: readonly MigrationStatement[]): MigrationStatement[] {
  const rewritten: MigrationStatement[] = [];
  for (let index = 0; index < statements.length; index++) {
    const table = RENAME_AWAY.exec(statements[index]!.query)?.[1];
    const rebuild = table === undefined ? undefined : rebuildOf(table, statements.slice(index + 1, index + 4));
    if (rebuild === undefined) {
      rewritten.push(statements[index]!);
      continue;
    }
    rewritten.push(...rebuild);
    index += 3;
  }
  return rewritten;
}

/** The three statements after the rename, in the safe order, or undefined when they are not TypeORM's rebuild of `table`. */
function rebuildOf(table: string, [create, copy, drop]: readonly MigrationStatement[]): MigrationStatement[] | undefined {
  const quoted = `"${table}"`;
  const temporary = `"temporary_${table}"`;
  if (create === undefined || copy === undefined || drop === undefined) return undefined;
  if (!create.query.startsWith(`CREATE TABLE ${quoted} (`) || drop.query !== `DROP TABLE ${temporary}`) return undefined;
  const copied = new RegExp(`^INSERT INTO ${escape(quoted)}(\\(.*\\)) SELECT (.*) FROM ${escape(temporary)}$`).exec(copy.query);
  if (copied === null) return undefined;
  return [
    { query: `CREATE TABLE ${temporary} (${create.query.slice(`CREATE TABLE ${quoted} (`.length)}` },
    { query: `INSERT INTO ${temporary}${copied[1]} SELECT ${copied[2]} FROM ${quoted}` },
    { query: `DROP TABLE ${quoted}` },
    { query: `ALTER TABLE ${temporary} RENAME TO ${quoted}` },
  ];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
