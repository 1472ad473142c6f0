import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { QueryFailedError } from 'typeorm';
import { SqlTimeoutError } from '../../../errors/index.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope } from '../sql-engine.interface.js';
import { SQLITE_CHILD_PROGRAM } from './sqlite-child-program.js';
import { bindable } from './sqlite-connection.js';
import { SqliteRunnerExitedError } from './sqlite-runner-exited.error.js';

/** An idle runner process is stopped after this long; the next unbounded statement starts another. */
const IDLE_MS = 30_000;

/** How long a runner process may take to start and open the database. */
const START_MS = 10_000;

interface ChildAnswer {
  readonly ready?: true;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string };
}

/**
 * Where the runner process loads better-sqlite3 from: the copy this library resolves, as TypeORM
 * does. Resolved when the first runner starts: an application on PostgreSQL need not have it.
 */
function betterSqlite3Path(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

/**
 * Runs statements on a connection of its own, in a child process that is killed (SIGKILL) when
 * a statement outlives `sqlTimeoutMs` (by its own watchdog thread, and by this side's timer);
 * the next statement starts a fresh one. One statement at
 * a time, in arrival order; the clock starts when the process receives the statement.
 * Parameters and results cross with the advanced serialization (BigInt, Buffer, null survive).
 */
export class SqliteChildRunner {
  private child?: Promise<ChildProcess>;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    private readonly readonly: boolean,
  ) {}

  run<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    const turn = this.queue.then(() => this.runNow<T>(statements, scope));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the runner process, if one is running. */
  close(): void {
    clearTimeout(this.idleTimer);
    void this.child?.then((child) => child.kill('SIGKILL'), () => undefined);
    this.child = undefined;
  }

  private async runNow<T>(statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    clearTimeout(this.idleTimer);
    const child = await (this.child ??= this.start(scope.timeoutMs)).catch((error: unknown) => {
      this.child = undefined;
      throw new SqliteRunnerExitedError(scope.pluginName, (error as Error).message);
    });
    try {
      return await this.exchange<T>(child, statements, scope);
    } finally {
      this.idleTimer = setTimeout(() => this.close(), IDLE_MS).unref();
    }
  }

  private exchange<T>(child: ChildProcess, statements: readonly PreparedStatement[], scope: PluginSqlScope): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        child.off('message', onMessage).off('exit', onExit);
        outcome();
      };
      const onMessage = (answer: ChildAnswer) =>
        settle(() => (answer.error === undefined ? resolve(answer.result as T) : reject(queryFailed(statements, answer.error))));
      const sentAt = Date.now();
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        // Its watchdog killed it at the deadline while this thread was busy (a host write waiting on its lock).
        const timedOut = signal === 'SIGKILL' && Date.now() - sentAt >= scope.timeoutMs;
        const error = timedOut ? new SqlTimeoutError(scope.pluginName, scope.timeoutMs) : new SqliteRunnerExitedError(scope.pluginName, `exited (${signal ?? `code ${code}`})`);
        settle(() => reject(error));
      };
      const timer = setTimeout(() => {
        this.child = undefined;
        child.kill('SIGKILL');
        settle(() => reject(new SqlTimeoutError(scope.pluginName, scope.timeoutMs)));
      }, scope.timeoutMs);
      child.on('message', onMessage).on('exit', onExit);
      child.send({ statements: statements.map(({ sql, params }) => ({ sql, params: bindable(params) })), timeoutMs: scope.timeoutMs });
    });
  }

  /** A runner process with the database open, ready for its first statement. */
  private start(busyTimeoutMs: number): Promise<ChildProcess> {
    const args = ['-e', SQLITE_CHILD_PROGRAM, betterSqlite3Path(), this.file, String(busyTimeoutMs), String(this.readonly)];
    // Nothing of the host's environment is needed, and none of its secrets should be there.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced', env: {} });
    child.unref();
    child.channel?.unref();
    return new Promise<ChildProcess>((resolve, reject) => {
      const timer = setTimeout(() => fail('did not start in time'), START_MS);
      const fail = (reason: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(reason));
      };
      child.once('message', (answer: ChildAnswer) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        if (answer.ready) resolve(child);
        else fail('could not open the database');
      });
      const onExit = (code: number | null) => fail(`exited while starting (code ${code})`);
      child.once('exit', onExit);
    });
  }
}

/** A statement's failure in the runner reads as TypeORM reports the host's own failed queries. */
function queryFailed(statements: readonly PreparedStatement[], error: NonNullable<ChildAnswer['error']>): QueryFailedError {
  const failed = statements.length === 1 ? statements[0]! : { sql: statements.map((statement) => statement.sql).join('; '), params: [] };
  return new QueryFailedError(failed.sql, [...failed.params], Object.assign(new Error(error.message), error));
}
