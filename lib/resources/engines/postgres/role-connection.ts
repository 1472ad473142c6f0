import { SqlNotAllowedError } from '../../../errors/index.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope } from '../sql-engine.interface.js';
import { isDataStatement } from './data-statement.js';
import { checkRepositoryStatement } from './repository-statement-rules.js';
import type { PgClient } from './pooled-transaction.js';
import { runPipelined, type PgResult, type PipelineFailure, type PipelineFrame } from './role-pipeline.js';

/** What a role connection asks of the engine: the plugin's aligned role, the frame that checks it, and what a failure means. */
export interface RoleFrames {
  roleFor(scope: PluginSqlScope): Promise<string>;
  /** the check after each statement (and the `BEGIN` before the first of a transaction) on `client`, a connection of the plugin's own */
  frameFor(client: PgClient, begin?: string): PipelineFrame;
  /** a pipeline's failure as the plugin sees it; `retry` when the statement may run again */
  failureOf(failure: PipelineFailure, statement: PreparedStatement, scope: PluginSqlScope, client?: PgClient): Promise<{ error: unknown; retry: boolean }>;
}

const START = 'START TRANSACTION';
const ISOLATION = /^SET TRANSACTION ISOLATION LEVEL (READ UNCOMMITTED|READ COMMITTED|REPEATABLE READ|SERIALIZABLE)$/;
/** TypeORM's savepoints for nested transactions. */
const SAVEPOINT = /^(?:SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) typeorm_\d+$/;
/** `Repository.clear()`: the role may not TRUNCATE; DELETE leaves the same rows (none) and stays within the role's grants. */
const CLEAR = /^TRUNCATE TABLE ((?:"(?:[^"]|"")+"\.)?"(?:[^"]|"")+")$/;
const NOT_A_DATA_STATEMENT = 'a repository runs only SELECT, INSERT, UPDATE and DELETE statements';

/**
 * The connection a plugin's repository query runner talks to on PostgreSQL (it stands in for
 * node-postgres' client in TypeORM's `PostgresQueryRunner`), on one of the plugin's own
 * connections, whose session holds its role (PluginConnections). Every statement is followed
 * by the check that the role held, in one round trip:
 * - outside a transaction: the statement and the check, one implicit transaction;
 * - `START TRANSACTION` (and its isolation level) waits for the first statement, which carries
 *   `BEGIN` with it; every statement carries the check; `COMMIT` and `ROLLBACK`
 *   end it (nothing to send when no statement ran).
 * Only data statements that pass the raw-SQL rules (`checkRepositoryStatement`) and TypeORM's
 * own transaction statements reach the server.
 */
export class RoleConnection {
  private transaction: 'none' | 'pending' | 'open' = 'none';
  private isolation: string | undefined;

  constructor(
    private readonly client: PgClient,
    private readonly frames: RoleFrames,
    private readonly scope: () => PluginSqlScope,
  ) {}

  /** Whether a transaction holds the connection (it must be rolled back before the connection goes back to the pool). */
  get inTransaction(): boolean {
    return this.transaction === 'open';
  }

  async query(text: unknown, values?: unknown[]): Promise<PgResult> {
    const scope = this.scope();
    if (typeof text !== 'string') throw new SqlNotAllowedError(scope.pluginName, NOT_A_DATA_STATEMENT);
    const sql = text.trim();
    if (sql === START && this.transaction === 'none') return this.noop('BEGIN', () => (this.transaction = 'pending'));
    const isolation = ISOLATION.exec(sql);
    if (isolation !== null && this.transaction === 'pending' && this.isolation === undefined) return this.noop('SET', () => (this.isolation = isolation[1]));
    if (sql === 'COMMIT' || sql === 'ROLLBACK') return this.end(sql);
    if (SAVEPOINT.test(sql) && this.transaction !== 'none') return this.run({ sql, params: [] }, scope);
    const statement = { sql: sql.replace(CLEAR, 'DELETE FROM $1'), params: values ?? [] };
    if (!isDataStatement(statement.sql)) throw new SqlNotAllowedError(scope.pluginName, NOT_A_DATA_STATEMENT);
    const checking = checkRepositoryStatement(scope, statement.sql);
    if (checking !== undefined) await checking;
    return this.run(statement, scope);
  }

  private async run(statement: PreparedStatement, scope: PluginSqlScope, retried = false): Promise<PgResult> {
    // Aligns the role's grants with the policy in force.
    await this.frames.roleFor(scope);
    const begin = this.transaction === 'pending' ? `BEGIN${this.isolation === undefined ? '' : ` ISOLATION LEVEL ${this.isolation}`}` : undefined;
    const frame = this.frames.frameFor(this.client, begin);
    const pipelined = pipelinedOrFail(this.client, frame, statement);
    if (begin !== undefined) this.transaction = 'open';
    try {
      return (await pipelined)[0]!;
    } catch (failure) {
      // The session may be set up again only outside a transaction (see the retry below).
      const renewable = this.transaction === 'none' && !retried ? this.client : undefined;
      const { error, retry } = await this.frames.failureOf(failure as PipelineFailure, statement, scope, renewable);
      // Inside a transaction the refused statement already aborted it: no second try there.
      if (retry && !retried && this.transaction === 'none') return this.run(statement, scope, true);
      throw error;
    }
  }

  private async end(sql: 'COMMIT' | 'ROLLBACK'): Promise<PgResult> {
    const open = this.transaction === 'open';
    this.transaction = 'none';
    this.isolation = undefined;
    if (!open) return { rows: [], rowCount: null, command: sql };
    return (await this.client.query(sql)) as unknown as PgResult;
  }

  private noop(command: string, effect: () => void): Promise<PgResult> {
    effect();
    return Promise.resolve({ rows: [], rowCount: null, command });
  }
}

function pipelinedOrFail(client: PgClient, frame: PipelineFrame, statement: PreparedStatement): Promise<PgResult[]> {
  const pipelined = runPipelined(client, frame, [statement]);
  if (pipelined === undefined) throw new Error('the PostgreSQL driver cannot pipeline statements (node-postgres 8.x, not its native binding, is needed to run repositories under the plugin role)');
  return pipelined;
}
