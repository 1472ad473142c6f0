/** The timestamp TypeORM reads from a migration's name: its trailing digits (`CreateNotes1700000000000`). */
const TRAILING_TIMESTAMP = /(\d+)$/;

/**
 * The order migrations run in: by the timestamp at the end of their names, as TypeORM orders
 * them (so `AddTag1700000002000` runs after `CreateNotes1700000001000`), then by name; a name
 * without one sorts after those with one, by name.
 */
export function compareMigrationNames(a: string, b: string): number {
  const [ta, tb] = [timestampOf(a), timestampOf(b)];
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return ta < tb ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function timestampOf(name: string): bigint | undefined {
  const digits = TRAILING_TIMESTAMP.exec(name)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}
