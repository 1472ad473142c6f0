import type { DataSource } from 'typeorm';
import { PluginRoleUnavailableError } from './plugin-role-unavailable.error.js';
import { pluginRoleName } from './plugin-role-name.js';
import { inPooledTransaction, type PgClient } from './pooled-transaction.js';
import {
  SEQUENCE_PRIVILEGES,
  TABLE_PRIVILEGES,
  grantStatements,
  quoteIdentifier,
  quoteLiteral,
  sameGrants,
  type RelationGrant,
} from './role-grants.js';

/** Serialises role and grant changes of every instance on one database (concurrent GRANTs on one table collide). */
const ROLES_LOCK_KEY = 7_081_112_947;

interface RoleRow {
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  is_member_of_roles: boolean;
  assumable: boolean;
}

/** Role attributes that would give the plugin more than its tables, by the keyword that sets each. */
const WIDENING_ATTRIBUTES: readonly [keyof RoleRow, string][] = [
  ['rolsuper', 'SUPERUSER'],
  ['rolinherit', 'INHERIT'],
  ['rolcreaterole', 'CREATEROLE'],
  ['rolcreatedb', 'CREATEDB'],
  ['rolcanlogin', 'LOGIN'],
  ['rolreplication', 'REPLICATION'],
  ['rolbypassrls', 'BYPASSRLS'],
];

/**
 * The tables behind the plugin's real table names, as this connection's search_path resolves
 * them, and their owned sequences. Tables only: a view (or foreign table) under a plugin's name
 * runs with its owner's rights, so a table swapped for one would read whatever its owner can,
 * as SQLite's engine refuses a view over another table. Relations the role owns (its
 * migrations' tables) need no grant.
 */
const DESIRED_GRANTS = `
  WITH tables AS (
    SELECT c.oid FROM unnest($1::text[]) AS t(name) JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))
    WHERE c.relkind IN ('r', 'p')
  )
  SELECT c.oid::regclass::text AS name, 'table' AS kind FROM pg_class c JOIN tables USING (oid)
  WHERE c.relowner IS DISTINCT FROM (SELECT oid FROM pg_roles WHERE rolname = $2)
  UNION
  SELECT s.oid::regclass::text, 'sequence' FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    AND d.refobjid IN (SELECT oid FROM tables) AND s.relowner IS DISTINCT FROM (SELECT oid FROM pg_roles WHERE rolname = $2)`;

/** Every privilege the role holds in this database on relations it does not own, whoever granted it. */
const CURRENT_GRANTS = `
  SELECT c.oid::regclass::text AS name, CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind,
         array_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) AS privileges
  FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
  WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1) AND c.relowner <> a.grantee
  GROUP BY c.oid`;

/** Schemas of the plugin's relations on which the role lacks USAGE. */
const MISSING_SCHEMA_USAGE = `
  SELECT DISTINCT quote_ident(n.nspname) AS name
  FROM unnest($1::text[]) AS t(name) JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name)) JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT has_schema_privilege($2, n.oid, 'USAGE')`;

/** The outcome of bringing a plugin's role in line with its tables. */
export interface AlignedRole {
  readonly role: string;
  /** whether any grant was added or revoked */
  readonly changed: boolean;
}

/**
 * The plugins' own PostgreSQL roles: created when the host's connection may (superuser or
 * CREATEROLE), checked to be narrow (NOLOGIN, NOINHERIT, member of no role) and assumable,
 * and granted row privileges on exactly the plugin's existing tables and their sequences.
 * Anything short of that fails closed with PluginRoleUnavailableError.
 */
export class PluginRoles {
  constructor(private readonly dataSource: DataSource) {}

  align(pluginName: string, realTables: readonly string[]): Promise<AlignedRole> {
    return inPooledTransaction(this.dataSource, { opening: `SELECT pg_advisory_xact_lock(${ROLES_LOCK_KEY})` }, async (client) => {
      const [{ database }] = (await client.query<{ database: string }>('SELECT current_database() AS database')).rows as [{ database: string }];
      const role = pluginRoleName(database, pluginName);
      try {
        await this.ensureRole(client, pluginName, role, database);
        return { role, changed: await this.alignGrants(client, pluginName, role, realTables) };
      } catch (error) {
        if (error instanceof PluginRoleUnavailableError) throw error;
        throw new PluginRoleUnavailableError(pluginName, role, `could not be prepared: ${(error as Error).message}`);
      }
    });
  }

  private async ensureRole(client: PgClient, pluginName: string, role: string, database: string): Promise<void> {
    let row = await this.readRole(client, role);
    if (row === undefined) {
      await this.createRole(client, pluginName, role, database);
      row = (await this.readRole(client, role))!;
    }
    const widening = WIDENING_ATTRIBUTES.filter(([attribute]) => row[attribute]).map(([, keyword]) => keyword);
    if (row.is_member_of_roles) widening.push('membership in other roles');
    if (widening.length > 0) throw new PluginRoleUnavailableError(pluginName, role, `is wider than its tables (${widening.join(', ')})`);
    if (!row.assumable) throw new PluginRoleUnavailableError(pluginName, role, 'is not granted to the role the application connects as');
  }

  private async readRole(client: PgClient, role: string): Promise<RoleRow | undefined> {
    const { rows } = await client.query<RoleRow>(
      `SELECT r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls,
              EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid) AS is_member_of_roles,
              pg_has_role(current_user, r.oid, 'MEMBER') AS assumable
       FROM pg_roles r WHERE r.rolname = $1`,
      [role],
    );
    return rows[0];
  }

  private async createRole(client: PgClient, pluginName: string, role: string, database: string): Promise<void> {
    const { rows } = await client.query<{ rolsuper: boolean; rolcreaterole: boolean }>(
      'SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user',
    );
    const host = rows[0];
    if (!host?.rolsuper && !host?.rolcreaterole) {
      throw new PluginRoleUnavailableError(
        pluginName,
        role,
        'does not exist, and the application may not create roles (it needs CREATEROLE); create it with the operator script',
      );
    }
    const quoted = quoteIdentifier(role);
    await client.query(`CREATE ROLE ${quoted} NOLOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`);
    // Says whose role it is, for operators and for clean-up: role names alone carry only a hash of the database.
    await client.query(`COMMENT ON ROLE ${quoted} IS ${quoteLiteral(`nestjs-plugins: plugin "${pluginName}" in database "${database}"`)}`);
    if (!host.rolsuper) await client.query(`GRANT ${quoted} TO CURRENT_USER`);
  }

  private async alignGrants(client: PgClient, pluginName: string, role: string, realTables: readonly string[]): Promise<boolean> {
    const desired = (await client.query<Omit<RelationGrant, 'privileges'>>(DESIRED_GRANTS, [[...realTables], role])).rows.map(
      (grant): RelationGrant => ({ ...grant, privileges: grant.kind === 'sequence' ? SEQUENCE_PRIVILEGES : TABLE_PRIVILEGES }),
    );
    const quoted = quoteIdentifier(role);
    const statements = grantStatements(quoted, desired, await this.currentGrants(client, role));
    const schemas = (await client.query<{ name: string }>(MISSING_SCHEMA_USAGE, [[...realTables], role])).rows;
    for (const schema of schemas) statements.push(`GRANT USAGE ON SCHEMA ${schema.name} TO ${quoted}`);
    for (const statement of statements) await client.query(statement);
    // GRANT and REVOKE only warn when they cannot act (privileges granted by someone else): check the result.
    if (statements.length > 0 && !sameGrants(desired, await this.currentGrants(client, role))) {
      const reason = 'holds privileges the application cannot align with the plugin tables (grants made by another role?)';
      throw new PluginRoleUnavailableError(pluginName, role, reason);
    }
    return statements.length > 0;
  }

  private async currentGrants(client: PgClient, role: string): Promise<RelationGrant[]> {
    return (await client.query<RelationGrant>(CURRENT_GRANTS, [role])).rows;
  }
}

/** Runs one statement on the caller's connection and resolves to its rows. */
export type RoleQuery = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

/** The plugin's role and whether it went: the application may lack the right to drop roles. */
export interface RoleRemoval {
  readonly role: string;
  readonly dropped: boolean;
}

/**
 * Drops the plugin's role in this database, inside the caller's transaction and under the lock
 * role changes take: first whatever it still owns or holds here (`DROP OWNED BY`: its grants,
 * USAGE on schemas), then the role. An application without CREATEROLE (the least-privilege
 * setup) leaves it to the operator. Resolves to undefined when there was no role.
 */
export async function dropPluginRole(query: RoleQuery, pluginName: string): Promise<RoleRemoval | undefined> {
  await query(`SELECT pg_advisory_xact_lock(${ROLES_LOCK_KEY})`);
  const [{ database }] = (await query<{ database: string }>('SELECT current_database() AS database')) as [{ database: string }];
  const role = pluginRoleName(database, pluginName);
  if ((await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length === 0) return undefined;
  const [host] = await query<{ rolsuper: boolean; rolcreaterole: boolean }>('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user');
  if (!host?.rolsuper && !host?.rolcreaterole) return { role, dropped: false };
  const quoted = quoteIdentifier(role);
  await query(`DROP OWNED BY ${quoted}`);
  await query(`DROP ROLE ${quoted}`);
  return { role, dropped: true };
}
