import { QueryFailedError, type DataSource } from 'typeorm';
import { PluginError, SqlNotAllowedError, SqlTimeoutError } from '../../../errors/index.js';
import type { ResourcePolicy } from '../../resource-policy.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope, SqlEngine } from '../sql-engine.interface.js';
import { isDataStatement } from './data-statement.js';
import { PluginRoleUnavailableError } from './plugin-role-unavailable.error.js';
import { PluginRoles } from './plugin-roles.js';
import { QUERY_CANCELED, refusedRelation, type PostgresErrorLike } from './postgres-refusal.js';
import { inTransaction, onPooledClient, type PgClient, type TransactionFrame } from './pooled-transaction.js';
import { runPipelined, type FrameStatement, type PipelineFailure, type PipelineFrame } from './role-pipeline.js';
import { RoleConnection } from './role-connection.js';
import { quoteIdentifier, quoteLiteral } from './role-grants.js';
import { roleScopedDataSource } from './role-scoped-data-source.js';

/** The role a plugin's grants were last aligned for, and the policy and tables they follow. */
interface AlignedPolicy {
  readonly policy: ResourcePolicy;
  readonly tablesKey: string;
  readonly role: Promise<string>;
}

/** Why the statements are refused when one of them changed the role the transaction runs under. */
const ROLE_CHANGED = 'a statement changed the database role it runs under';
const DIVISION_BY_ZERO = '22012';
const INVALID_STATEMENT_NAME = '26000';
const NOT_A_DATA_STATEMENT = 'only SELECT, INSERT, UPDATE and DELETE statements run';
/** Takes the plugin's role and timeout for the transaction alone (`set_config(…, true)` is `SET LOCAL`; the role is checked as `SET ROLE` checks it). */
const OPENING: FrameStatement = {
  name: 'nestjs_plugins_role_opening',
  text: "SELECT set_config('role', $1, true), set_config('statement_timeout', $2, true)",
};
/** Divides by zero, so the transaction rolls back, when a statement changed the role. */
const ROLE_CHECK: FrameStatement = { name: 'nestjs_plugins_role_check', text: 'SELECT 1 / (current_user = $1)::int' };

/**
 * PostgreSQL: the plugin's own role has the last word. Each call is one transaction on one
 * connection, in one round trip (see runPipelined): the role and `statement_timeout` taken for
 * the transaction alone, the statements (each alone, extended protocol, values bound), a check
 * that the role is still the plugin's, and the commit, which only happens if all of them
 * succeeded. The plugin's repositories run the same way (repositoryDataSource). The role holds
 * privileges on the plugin's tables only (see PluginRoles); its grants are aligned before the
 * first statement under each policy, and again when a statement is refused one of the plugin's
 * own tables (created since, or recreated).
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

  /** A view of the DataSource for the plugin's repositories: every statement they send runs under the plugin's role (RoleConnection). */
  repositoryDataSource(scope: () => PluginSqlScope): DataSource {
    return roleScopedDataSource(this.dataSource, (client) => new RoleConnection(client, this, scope));
  }

  /** The plugin's role, its grants aligned with the policy; cached per policy (policies are immutable) and per table set. */
  roleFor(scope: PluginSqlScope): Promise<string> {
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

  /** The opening that takes the plugin's role and timeout for the transaction (none inside one that took them), and the check that the role held. */
  frameFor(role: string, scope: PluginSqlScope, options: { opening: boolean; begin?: string } = { opening: true }): PipelineFrame {
    const opening = options.opening ? OPENING : undefined;
    return { begin: options.begin, opening, openingParams: [role, String(timeoutSetting(scope.timeoutMs))], check: ROLE_CHECK, checkParams: [role] };
  }

  /** A repository statement's failure as the plugin sees it; `retry` when it was refused one of the plugin's own tables and the grants have just caught up. */
  async failureOf(failure: PipelineFailure, role: string, statement: PreparedStatement, scope: PluginSqlScope): Promise<{ error: unknown; retry: boolean }> {
    if (failure.step === 'opening') return lostFrame(failure) ? { error: failure.error, retry: true } : { error: this.roleUnavailable(scope, role, failure.error), retry: false };
    if (failure.step === 'check') return { error: this.roleChanged(scope, failure.error), retry: false };
    const relation = refusedRelation(failure.error as PostgresErrorLike);
    if (relation !== undefined && scope.policy.realTableNames.includes(relation)) {
      const { changed } = await this.roles.align(scope.pluginName, scope.policy.realTableNames);
      if (changed) return { error: failure.error, retry: true };
    }
    return { error: this.translate(failure.error, [statement], scope), retry: false };
  }

  /** One round trip where the driver can pipeline (see runPipelined), three otherwise. */
  private runAs<T>(role: string, statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    for (const statement of statements) this.dataSource.logger.logQuery(statement.sql, [...statement.params]);
    return onPooledClient(this.dataSource, async (client, discard) => {
      const attempt = (retried: boolean): Promise<T> | undefined =>
        runPipelined(client, this.frameFor(role, scope), statements)?.then(
          (results) => shaped(results[results.length - 1]!) as T,
          (failure: PipelineFailure) => {
            if (failure.step === 'opening' && lostFrame(failure) && !retried) return attempt(true)!;
            if (failure.step === 'opening') throw this.roleUnavailable(scope, role, failure.error);
            if (failure.step === 'check') throw this.roleChanged(scope, failure.error);
            throw failure.error;
          },
        );
      return attempt(false) ?? this.runInSteps<T>(client, discard, role, statements, scope);
    });
  }

  /** The same frame over three round trips, for drivers that cannot pipeline. */
  private runInSteps<T>(client: PgClient, discard: (error: Error) => void, role: string, statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    const frame: TransactionFrame = {
      opening: `SET LOCAL ROLE ${quoteIdentifier(role)}; SET LOCAL statement_timeout = ${timeoutSetting(scope.timeoutMs)}`,
      openingFailed: (error) => this.roleUnavailable(scope, role, error),
      // Divides by zero, so the COMMIT sent with it never runs, when a statement changed the role.
      commitCondition: `SELECT 1 / (current_user = ${quoteLiteral(role)})::int`,
      conditionFailed: (error) => this.roleChanged(scope, error),
    };
    const work = async (connection: PgClient) => {
      let result: unknown;
      // One statement alone: the extended protocol refuses a second statement hidden in the text.
      for (const statement of statements) result = shaped(await connection.query({ text: statement.sql, values: [...statement.params], queryMode: 'extended' }));
      return result as T;
    };
    return inTransaction(client, frame, work, discard);
  }

  /** The role was dropped or its membership revoked since it was prepared: prepare it again next time. */
  private roleUnavailable(scope: PluginSqlScope, role: string, error: unknown): PluginRoleUnavailableError {
    this.aligned.delete(scope.pluginName);
    return new PluginRoleUnavailableError(scope.pluginName, role, `cannot be assumed: ${(error as Error).message}`);
  }

  private roleChanged(scope: PluginSqlScope, error: unknown): unknown {
    return (error as PostgresErrorLike).code === DIVISION_BY_ZERO ? new SqlNotAllowedError(scope.pluginName, ROLE_CHANGED) : error;
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

/**
 * The frame's prepared statements were gone from the session (DEALLOCATE, a pooler that moved the
 * session): the pipeline forgot them, so the next try prepares them again.
 */
function lostFrame(failure: PipelineFailure): boolean {
  return (failure.error as PostgresErrorLike).code === INVALID_STATEMENT_NAME;
}

/** Shaped as TypeORM's `query` returns it. */
function shaped(raw: { rows: unknown[]; rowCount: number | null; command: string }): unknown {
  return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
}

function timeoutSetting(timeoutMs: number): number {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`sqlTimeoutMs must be a positive integer, got ${timeoutMs}`);
  return timeoutMs;
}

function isPostgresError(error: unknown): error is PostgresErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
