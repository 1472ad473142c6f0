/** What PostgreSQL says about a failed statement: the parts we read. */
export interface PostgresErrorLike {
  readonly code?: string;
  readonly message: string;
}

/** The statement ran past `statement_timeout` (or was cancelled). */
export const QUERY_CANCELED = '57014';
const INSUFFICIENT_PRIVILEGE = '42501';
const UNDEFINED_TABLE = '42P01';
const INVALID_SCHEMA_NAME = '3F000';

/** Placeholder when the server's message is not in English and names nothing we can read. */
export const UNNAMED_OBJECT = 'unknown';

/** Message shapes of PostgreSQL's privilege failures on relations and schemas (other privilege failures pass through). */
const RELATION_PRIVILEGE = /^permission denied for (?:table|view|materialized view|sequence|foreign table|relation|schema) (.+)$/;
const QUOTED_NAME = /"([^"]+)"/;

/**
 * The relation (or schema) a refusal is about, when the error is one: "permission denied" for an
 * object that exists, "does not exist" for one that does not. Both yield the name folded the
 * same way — PostgreSQL's stored spelling, last dotted segment — so that the caller can answer
 * both with one error and a plugin cannot tell which objects exist. Undefined for other errors.
 */
export function refusedRelation(error: PostgresErrorLike): string | undefined {
  if (error.code === INSUFFICIENT_PRIVILEGE) {
    const name = RELATION_PRIVILEGE.exec(error.message)?.[1];
    return name === undefined ? undefined : lastSegment(name);
  }
  if (error.code === UNDEFINED_TABLE || error.code === INVALID_SCHEMA_NAME) {
    const name = QUOTED_NAME.exec(error.message)?.[1];
    return name === undefined ? UNNAMED_OBJECT : lastSegment(name);
  }
  return undefined;
}

/** `public.secrets` (as "does not exist" spells a qualified name) and `secrets` (as "permission denied" does) read the same. */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
