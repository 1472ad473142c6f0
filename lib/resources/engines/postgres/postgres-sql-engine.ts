import { QueryFailedError, type DataSource } from 'typeorm';
import { PluginError, SqlNotAllowedError, SqlTimeoutError } from '../../../errors/index.js';
import type { ResourcePolicy } from '../../resource-policy.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope, SqlEngine } from '../sql-engine.interface.js';
import { isDataStatement } from './data-statement.js';
import { PluginRoleUnavailableError } from './plugin-role-unavailable.error.js';
import { PluginRoles } from './plugin-roles.js';
import { QUERY_CANCELED, refusedRelation, type PostgresErrorLike } from './postgres-refusal.js';
import { PluginConnections, type PluginClient, type PluginSession } from './plugin-connections.js';
import { inTransaction, type PgClient, type TransactionFrame } from './pooled-transaction.js';
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
/** What PostgreSQL says when the session's role was dropped under it. */
const ROLE_GONE = /\brole (?:with )?OID\b/;
const INVALID_STATEMENT_NAME = '26000';
const NOT_A_DATA_STATEMENT = 'only SELECT, INSERT, UPDATE and DELETE statements run';
/**
 * Divides by zero, so the transaction rolls back (and with it the change), when a statement
 * changed the session's role or its `statement_timeout`. The values are written in the text, not
 * bound: without parameters PostgreSQL plans it once per connection, not at every Bind. A new
 * session setup makes the connection prepare it again (PluginConnections).
 */
function sessionCheck(session: PluginSession): FrameStatement {
  return {
    name: 'nestjs_plugins_session_check',
    text: `SELECT 1 / (current_user = ${quoteLiteral(session.role)} AND current_setting('statement_timeout') = ${quoteLiteral(session.shownTimeout)})::int`,
  };
}

/**
 * PostgreSQL: the plugin's own role has the last word. Statements run on the plugin's own
 * connections, whose sessions hold its role and `statement_timeout` (PluginConnections). Each
 * call is one transaction in one round trip (see runPipelined): the statements (each alone,
 * extended protocol, values bound), a check that the role and the timeout are still the
 * session's, and the commit, which only happens if all of them succeeded. The plugin's
 * repositories run the same way (repositoryDataSource). The role holds
 * privileges on the plugin's tables only (see PluginRoles); its grants are aligned before the
 * first statement under each policy, and again when a statement is refused one of the plugin's
 * own tables (created since, or recreated).
 */
export class PostgresSqlEngine implements SqlEngine {
  private readonly roles: PluginRoles;
  private readonly connections: PluginConnections;
  private readonly aligned = new Map<string, AlignedPolicy>();
  /** Each session's check, built once. */
  private readonly checks = new WeakMap<PluginSession, FrameStatement>();

  constructor(private readonly dataSource: DataSource) {
    this.roles = new PluginRoles(dataSource);
    this.connections = new PluginConnections(dataSource);
  }

  /** Closes the plugins' connections. */
  close(): Promise<void> {
    return this.connections.close();
  }

  /** The plugin's role was dropped: its connections close, and a plugin of that name installed again prepares it anew. */
  forget(pluginName: string): void {
    this.aligned.delete(pluginName);
    void this.connections.forget(pluginName);
  }

  async run<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    for (const statement of statements) {
      if (!isDataStatement(statement.sql)) throw new SqlNotAllowedError(scope.pluginName, NOT_A_DATA_STATEMENT);
    }
    // A role that cannot be prepared fails as it is, before any connection is taken.
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

  /** A view of the DataSource for the plugin's repositories: their runners take the plugin's connections, and every statement runs under its role (RoleConnection). */
  repositoryDataSource(scope: () => PluginSqlScope): DataSource {
    const obtain = async () => {
      const current = scope();
      const { client, release } = await this.acquire(current, await this.roleFor(current));
      return [client, release] as const;
    };
    return roleScopedDataSource(this.dataSource, obtain, (client) => new RoleConnection(client, this, scope));
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

  /** The check that the session's role and timeout held, after the statements (and the `BEGIN` before them, if any). */
  frameFor(client: PgClient, begin?: string): PipelineFrame {
    const session = this.connections.sessionOf(client);
    if (session === undefined) throw new Error('not a connection of a plugin');
    return { begin, check: this.checks.get(session) ?? this.checkFor(session) };
  }

  /**
   * A repository statement's failure as the plugin sees it; `retry` when the statement may run
   * again: the check's prepared statement was gone, the session was set up again (`client`, given
   * outside a transaction: see runAs), or the grants have just caught up.
   */
  async failureOf(failure: PipelineFailure, statement: PreparedStatement, scope: PluginSqlScope, client?: PgClient): Promise<{ error: unknown; retry: boolean }> {
    if (failure.step === 'check' && lostFrame(failure)) return { error: failure.error, retry: true };
    const renewed = client !== undefined && this.staleSession(failure.error, scope);
    if (renewed) await this.renewSession(client, scope);
    if (failure.step === 'check') return { error: this.roleChanged(scope, failure.error), retry: renewed };
    const relation = refusedRelation(failure.error as PostgresErrorLike);
    if (relation !== undefined && scope.policy.realTableNames.includes(relation)) {
      const { changed } = await this.roles.align(scope.pluginName, scope.policy.realTableNames);
      if (changed || renewed) return { error: failure.error, retry: true };
    }
    return { error: this.translate(failure.error, [statement], scope), retry: renewed };
  }

  private checkFor(session: PluginSession): FrameStatement {
    const check = sessionCheck(session);
    this.checks.set(session, check);
    return check;
  }

  /** A connection of the plugin's own, its session under the plugin's role and timeout. */
  private acquire(scope: PluginSqlScope, role: string): Promise<PluginClient> {
    return this.connections.acquire(scope.pluginName, role, timeoutSetting(scope.timeoutMs), (error) => this.roleUnavailable(scope, role, error));
  }

  /**
   * One round trip where the driver can pipeline (see runPipelined), three otherwise. A refusal
   * that a session under a dropped role would also give sets the session up again and runs the
   * statements once more (the implicit transaction rolled back): the role is assumed anew, or
   * PluginRoleUnavailableError says why not.
   */
  private async runAs<T>(role: string, statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    for (const statement of statements) this.dataSource.logger.logQuery(statement.sql, [...statement.params]);
    const { client, session, release } = await this.acquire(scope, role);
    let broken: Error | undefined;
    const attempt = (retried: boolean): Promise<T> | undefined =>
      runPipelined(client, this.frameFor(client), statements)?.then(
        (results) => shaped(results[results.length - 1]!) as T,
        async (failure: PipelineFailure) => {
          if (!retried && failure.step === 'check' && lostFrame(failure)) return attempt(true)!;
          if (!retried && this.staleSession(failure.error, scope)) {
            await this.renewSession(client, scope);
            return attempt(true)!;
          }
          throw failure.step === 'check' ? this.roleChanged(scope, failure.error) : failure.error;
        },
      );
    try {
      return await (attempt(false) ?? this.runInSteps<T>(client, (error) => (broken = error), session.role, statements, scope));
    } finally {
      release(broken);
    }
  }

  /** Whether a statement's failure may come from a session whose role was dropped since it was set up. */
  private staleSession(error: unknown, scope: PluginSqlScope): boolean {
    const relation = refusedRelation(error as PostgresErrorLike);
    return (relation !== undefined && scope.policy.realTableNames.includes(relation)) || ROLE_GONE.test((error as Error | undefined)?.message ?? '');
  }

  /** Sets the session of one of the plugin's connections up again (see PluginConnections.renew). */
  private async renewSession(client: PgClient, scope: PluginSqlScope): Promise<void> {
    const role = await this.roleFor(scope);
    await this.connections.renew(client, role, timeoutSetting(scope.timeoutMs), (error) => this.roleUnavailable(scope, role, error));
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
