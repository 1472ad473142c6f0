import type { QueryRunner } from 'typeorm';
import { TableAccessDeniedError } from '../errors/index.js';
import { PluginRoleUnavailableError } from '../resources/engines/postgres/plugin-role-unavailable.error.js';
import { PluginRoles } from '../resources/engines/postgres/plugin-roles.js';
import { quoteIdentifier } from '../resources/engines/postgres/role-grants.js';
import type { ResourcePolicy } from '../resources/resource-policy.js';
import type { MigrationPolicy, MigrationStatementKind } from '../resources/sql/migration-statement.js';
import type { MigrationExecutor } from './migration-executor.js';
import { migrationPolicy } from './migration-policy.js';

const INSUFFICIENT_PRIVILEGE = '42501';
/** "permission denied for table x", "must be owner of table x", "must be owner of relation x"... */
const REFUSED_OBJECT = /^(?:permission denied for|must be owner of) (?:table|relation|sequence|index|view|materialized view|schema|type) (.+)$/;

/** The plugin's tables (by real name) that exist here and that its role does not own yet. */
const NOT_YET_OWNED = `
  SELECT c.oid::regclass::text AS name FROM unnest($1::text[]) AS t(name) JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))
  WHERE c.relkind IN ('r', 'p') AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)`;

/** Where the migration's statements run from, as the caller's transaction sees it. */
interface Session {
  readonly host: string;
  readonly schema: string;
  readonly mayCreate: boolean;
}

/**
 * PostgreSQL's last word on a migration: the plugin's own role (see PluginRoles). The plugin's
 * existing tables are handed to the role first, so that it owns all of them; then each
 * statement runs under it with `SET LOCAL ROLE`, on the caller's transaction, and the role
 * the caller connects as comes back after it. Schema statements get CREATE on the schema for
 * their own duration only (granted and revoked inside the transaction); catalogue reads run
 * read-only in a savepoint rolled back afterwards, so that nothing they call stays. What the
 * role may not touch, PostgreSQL refuses: TableAccessDeniedError.
 */
export class PostgresMigrationExecutor implements MigrationExecutor {
  private constructor(
    private readonly runner: QueryRunner,
    readonly policy: MigrationPolicy,
    private readonly role: string,
    private readonly session: Session,
  ) {}

  static async open(runner: QueryRunner, policy: ResourcePolicy): Promise<PostgresMigrationExecutor> {
    const { role } = await new PluginRoles(runner.connection).align(policy.pluginName, policy.realTableNames);
    const [session] = (await runner.query(
      `SELECT current_user AS host, current_schema() AS schema, has_schema_privilege($1, current_schema(), 'CREATE') AS "mayCreate",
              has_schema_privilege(current_user, current_schema(), 'CREATE WITH GRANT OPTION') AS "mayGrant"`,
      [role],
    )) as [Session & { mayGrant: boolean }];
    if (!session.mayCreate && !session.mayGrant) {
      const reason = `may not create tables in schema "${session.schema}", and the application may not let it (it needs CREATE WITH GRANT OPTION there, or grant CREATE to the role)`;
      throw new PluginRoleUnavailableError(policy.pluginName, role, reason);
    }
    const unowned = (await runner.query(NOT_YET_OWNED, [[...policy.realTableNames], role])) as { name: string }[];
    const executor = new PostgresMigrationExecutor(runner, migrationPolicy(policy), role, session);
    // A new owner must be able to create in the table's schema, as for the schema statements.
    if (unowned.length > 0) await executor.lendCreate('GRANT');
    for (const { name } of unowned) {
      try {
        await runner.query(`ALTER TABLE ${name} OWNER TO ${quoteIdentifier(role)}`);
      } catch (error) {
        throw new PluginRoleUnavailableError(policy.pluginName, role, `cannot be given its table ${name}: ${(error as Error).message}`);
      }
    }
    if (unowned.length > 0) await executor.lendCreate('REVOKE');
    return executor;
  }

  /** Lends (GRANT) or takes back (REVOKE) CREATE on the schema, when the role does not hold it of its own. */
  private async lendCreate(action: 'GRANT' | 'REVOKE'): Promise<void> {
    if (this.session.mayCreate) return;
    const schema = quoteIdentifier(this.session.schema);
    const role = quoteIdentifier(this.role);
    await this.runner.query(action === 'GRANT' ? `GRANT CREATE ON SCHEMA ${schema} TO ${role}` : `REVOKE CREATE ON SCHEMA ${schema} FROM ${role}`);
  }

  async run(kind: MigrationStatementKind, sql: string, params: unknown[] | undefined, structured: boolean | undefined): Promise<unknown> {
    const role = quoteIdentifier(this.role);
    const host = quoteIdentifier(this.session.host);
    if (kind === 'catalog') {
      await this.runner.query(`SAVEPOINT np_migration_catalog; SET LOCAL ROLE ${role}; SET LOCAL transaction_read_only = on`);
      try {
        return await this.statement(sql, params, structured);
      } finally {
        await this.runner.query('ROLLBACK TO SAVEPOINT np_migration_catalog; RELEASE SAVEPOINT np_migration_catalog');
      }
    }
    if (kind === 'schema') await this.lendCreate('GRANT');
    await this.runner.query(`SET LOCAL ROLE ${role}`);
    const result = await this.statement(sql, params, structured);
    await this.runner.query(`SET LOCAL ROLE ${host}`);
    if (kind === 'schema') await this.lendCreate('REVOKE');
    return result;
  }

  private async statement(sql: string, params: unknown[] | undefined, structured: boolean | undefined): Promise<unknown> {
    try {
      return await this.runner.query(sql, params, structured as true);
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      const object = code === INSUFFICIENT_PRIVILEGE && typeof message === 'string' ? REFUSED_OBJECT.exec(message)?.[1] : undefined;
      if (object === undefined) throw error;
      throw new TableAccessDeniedError(this.policy.pluginName, object.replace(/^"(.*)"$/, '$1'), this.policy.realTableNames);
    }
  }
}
