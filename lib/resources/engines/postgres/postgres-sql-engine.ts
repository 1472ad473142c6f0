import { QueryFailedError, type DataSource } from 'typeorm';
import { PluginError, SqlNotAllowedError, SqlTimeoutError } from '../../../errors/index.js';
import type { ResourcePolicy } from '../../resource-policy.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope, SqlEngine } from '../sql-engine.interface.js';
import { isDataStatement } from './data-statement.js';
import { PluginRoleUnavailableError } from './plugin-role-unavailable.error.js';
import { PluginRoles } from './plugin-roles.js';
import { QUERY_CANCELED, refusedRelation, type PostgresErrorLike } from './postgres-refusal.js';
import { inPooledTransaction, type PgClient, type TransactionFrame } from './pooled-transaction.js';
import { quoteIdentifier, quoteLiteral } from './role-grants.js';

/** The role a plugin's grants were last aligned for, and the policy and tables they follow. */
interface AlignedPolicy {
  readonly policy: ResourcePolicy;
  readonly tablesKey: string;
  readonly role: Promise<string>;
}

/** Why the statements are refused when one of them changed the role the transaction runs under. */
const ROLE_CHANGED = 'a statement changed the database role it runs under';
const DIVISION_BY_ZERO = '22012';
const NOT_A_DATA_STATEMENT = 'only SELECT, INSERT, UPDATE and DELETE statements run';

/**
 * PostgreSQL: the plugin's own role has the last word. Each call runs in one transaction on
 * one connection: `SET LOCAL ROLE <plugin role>`, `SET LOCAL statement_timeout`, the
 * statements (each alone, extended protocol), a check that the role is still the plugin's,
 * `COMMIT`. The role holds privileges on the plugin's tables only (see PluginRoles); its
 * grants are aligned before the first statement under each policy, and again when a
 * statement is refused one of the plugin's own tables (created since, or recreated).
 */
export class PostgresSqlEngine implements SqlEngine {
  private readonly roles: PluginRoles;
  private readonly aligned = new Map<string, AlignedPolicy>();

  constructor(private readonly dataSource: DataSource) {
    this.roles = new PluginRoles(dataSource);
  }

  /** Nothing to release: statements run on the DataSource's own pool. */
  close(): void {}

  /** The plugin's role was dropped: a plugin of that name installed again prepares it anew. */
  forget(pluginName: string): void {
    this.aligned.delete(pluginName);
  }

  async run<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    for (const statement of statements) {
      if (!isDataStatement(statement.sql)) throw new SqlNotAllowedError(scope.pluginName, NOT_A_DATA_STATEMENT);
    }
    const role = await this.roleFor(scope);
    try {
      return await this.runAs<T>(role, statements, scope);
    } catch (error) {
      const relation = refusedRelation(error as PostgresErrorLike);
      if (relation === undefined || !scope.policy.realTableNames.includes(relation)) throw this.translate(error, statements, scope);
      // One of the plugin's own tables: created or recreated since the grants were aligned.
      const { changed } = await this.roles.align(scope.pluginName, scope.policy.realTableNames);
      if (!changed) throw this.translate(error, statements, scope);
      return this.runAs<T>(role, statements, scope).catch((retryError: unknown) => {
        throw this.translate(retryError, statements, scope);
      });
    }
  }

  /** The plugin's role, its grants aligned with the policy; cached per policy (policies are immutable) and per table set. */
  private roleFor(scope: PluginSqlScope): Promise<string> {
    const known = this.aligned.get(scope.pluginName);
    if (known?.policy === scope.policy) return known.role;
    const tablesKey = scope.policy.realTableNames.join('\n');
    if (known?.tablesKey === tablesKey) {
      this.aligned.set(scope.pluginName, { ...known, policy: scope.policy });
      return known.role;
    }
    const role = this.roles.align(scope.pluginName, scope.policy.realTableNames).then((aligned) => aligned.role);
    const entry: AlignedPolicy = { policy: scope.policy, tablesKey, role };
    this.aligned.set(scope.pluginName, entry);
    // A role that could not be prepared is tried again on the next call: fail closed, not forever.
    role.catch(() => this.aligned.get(scope.pluginName) === entry && this.aligned.delete(scope.pluginName));
    return role;
  }

  private runAs<T>(role: string, statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    const frame: TransactionFrame = {
      opening: `SET LOCAL ROLE ${quoteIdentifier(role)}; SET LOCAL statement_timeout = ${timeoutSetting(scope.timeoutMs)}`,
      openingFailed: (error) => {
        // The role was dropped or its membership revoked since it was prepared: prepare it again next time.
        this.aligned.delete(scope.pluginName);
        return new PluginRoleUnavailableError(scope.pluginName, role, `cannot be assumed: ${(error as Error).message}`);
      },
      // Divides by zero, so the COMMIT sent with it never runs, when a statement changed the role.
      commitCondition: `SELECT 1 / (current_user = ${quoteLiteral(role)})::int`,
      conditionFailed: (error) =>
        (error as PostgresErrorLike).code === DIVISION_BY_ZERO ? new SqlNotAllowedError(scope.pluginName, ROLE_CHANGED) : error,
    };
    return inPooledTransaction(this.dataSource, frame, async (client) => {
      let result: unknown;
      for (const statement of statements) result = await this.runOne(client, statement);
      return result as T;
    });
  }

  /** One statement alone: the extended protocol refuses a second statement hidden in the text. Logged and shaped as TypeORM's `query` does. */
  private async runOne(client: PgClient, statement: PreparedStatement): Promise<unknown> {
    const params = [...statement.params];
    this.dataSource.logger.logQuery(statement.sql, params);
    const raw = await client.query({ text: statement.sql, values: params, queryMode: 'extended' });
    return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
  }

  private translate(error: unknown, statements: readonly PreparedStatement[], scope: PluginSqlScope): unknown {
    if (error instanceof PluginError || !isPostgresError(error)) return error;
    if (error.code === QUERY_CANCELED) return new SqlTimeoutError(scope.pluginName, scope.timeoutMs);
    const relation = refusedRelation(error);
    if (relation !== undefined && !scope.policy.realTableNames.includes(relation)) return scope.policy.denied('table', relation);
    // Any other failure reads as it does on the host's own queries.
    const failed = statements.length === 1 ? statements[0]! : { sql: statements.map((statement) => statement.sql).join('; '), params: [] };
    return new QueryFailedError(failed.sql, [...failed.params], error);
  }
}

function timeoutSetting(timeoutMs: number): number {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`sqlTimeoutMs must be a positive integer, got ${timeoutMs}`);
  return timeoutMs;
}

function isPostgresError(error: unknown): error is PostgresErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
