/** A relation and the privileges a role holds, or should hold, on it. */
export interface RelationGrant {
  /** as `oid::regclass` prints it: schema-qualified and quoted where needed */
  readonly name: string;
  readonly kind: 'table' | 'sequence';
  /** privilege keywords, sorted */
  readonly privileges: readonly string[];
}

/** Row access to the plugin's tables; no TRUNCATE, REFERENCES, TRIGGER or grant options. */
export const TABLE_PRIVILEGES = Object.freeze(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
/** `nextval`/`currval` on the sequences behind serial and identity columns. */
export const SEQUENCE_PRIVILEGES = Object.freeze(['USAGE']);

/**
 * The GRANT and REVOKE statements that leave `role` with exactly `desired`: privileges on a
 * relation no longer wanted are revoked, differing ones replaced, missing ones granted.
 * `role` is an already quoted identifier.
 */
export function grantStatements(role: string, desired: readonly RelationGrant[], current: readonly RelationGrant[]): string[] {
  const wanted = new Map(desired.map((grant) => [grant.name, grant]));
  const held = new Map(current.map((grant) => [grant.name, grant]));
  const statements: string[] = [];
  for (const grant of current) {
    const target = wanted.get(grant.name);
    if (target === undefined || !samePrivileges(target, grant)) statements.push(`REVOKE ALL ON ${onClause(grant)} FROM ${role}`);
  }
  for (const grant of desired) {
    const holding = held.get(grant.name);
    if (holding === undefined || !samePrivileges(holding, grant)) {
      statements.push(`GRANT ${grant.privileges.join(', ')} ON ${onClause(grant)} TO ${role}`);
    }
  }
  return statements;
}

/** Whether the role holds exactly what it should (order of relations aside). */
export function sameGrants(desired: readonly RelationGrant[], current: readonly RelationGrant[]): boolean {
  const held = new Map(current.map((grant) => [grant.name, grant]));
  return (
    desired.length === current.length && desired.every((grant) => held.has(grant.name) && samePrivileges(held.get(grant.name)!, grant))
  );
}

function samePrivileges(a: RelationGrant, b: RelationGrant): boolean {
  return a.kind === b.kind && a.privileges.length === b.privileges.length && a.privileges.every((privilege, index) => privilege === b.privileges[index]);
}

function onClause(grant: RelationGrant): string {
  return `${grant.kind === 'sequence' ? 'SEQUENCE' : 'TABLE'} ${grant.name}`;
}

/** A PostgreSQL identifier in double quotes. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A PostgreSQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
