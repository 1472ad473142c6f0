import { createHash } from 'node:crypto';

const PREFIX = 'np_';
const READABLE_LENGTH = 32;
const HASH_LENGTH = 16;

/**
 * The PostgreSQL role a plugin's raw SQL runs under in one database: `np_<plugin>_<hash>`.
 * Roles are cluster-wide while grants live in each database, so the hash (of the database
 * and plugin names) keeps two databases with a plugin of the same name apart. At most 52
 * bytes, below PostgreSQL's 63. docs/postgres-roles.md computes the same name in SQL.
 */
export function pluginRoleName(database: string, pluginName: string): string {
  const readable = pluginName.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, READABLE_LENGTH);
  // The byte length in front makes the key unambiguous whatever the names contain.
  const key = `${Buffer.byteLength(database)}:${database}:${pluginName}`;
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return `${PREFIX}${readable}_${hash}`;
}
